#include "EngineSettingsConversion.h"

#include "bridge/WeightCacheFolder.h"

#include <QFile>

namespace studio::ui {

namespace {

engine::ComputeDevice toDevice(RenderDevice d)
{
    return d == RenderDevice::Cpu    ? engine::ComputeDevice::Cpu
           : d == RenderDevice::Cuda ? engine::ComputeDevice::Cuda
                                     : engine::ComputeDevice::Auto;
}

engine::Switch toSwitch(RenderSwitch s)
{
    return s == RenderSwitch::On    ? engine::Switch::On
           : s == RenderSwitch::Off ? engine::Switch::Off
                                    : engine::Switch::Auto;
}

} // namespace

engine::ModelSettings toModelSettings(const EngineSettings &s)
{
    engine::ModelSettings m;
    m.modelDir = QFile::encodeName(s.modelDir).toStdString();
    m.device = toDevice(s.device);
    m.precision = s.precision == RenderPrecision::Float32   ? engine::ComputePrecision::Float32
                  : s.precision == RenderPrecision::Float16 ? engine::ComputePrecision::Float16
                                                            : engine::ComputePrecision::Auto;
    m.releaseTextEncoder = toSwitch(s.releaseTextEncoder);
    m.vaeTiling = toSwitch(s.vaeTiling);
    m.textEncoderDevice = toDevice(s.textEncoderDevice);
    m.unetOffload = s.unetOffload ? engine::UNetOffload::Blocks : engine::UNetOffload::None;
    m.textEncoderQuant = s.textEncoderQuant == RenderQuant::Int8   ? engine::TextEncoderQuant::Int8
                         : s.textEncoderQuant == RenderQuant::Int4 ? engine::TextEncoderQuant::Int4
                                                                   : engine::TextEncoderQuant::None;
    bridge::useDefaultWeightCache(&m);
    return m;
}

} // namespace studio::ui
