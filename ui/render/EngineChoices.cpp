#include "EngineChoices.h"

#include <initializer_list>
#include <utility>

namespace studio::ui {

namespace {

template <typename E> E parseChoice(const QString &text, std::initializer_list<std::pair<const char *, E>> choices)
{
    for (const auto &[name, value] : choices)
        if (text == QLatin1String(name))
            return value;
    return choices.begin()->second;
}

} // namespace

void readEngineChoices(const std::function<QString(Setting)> &word, EngineSettings *s)
{
    const auto device = [&](Setting key) {
        return parseChoice<RenderDevice>(
            word(key), {{"auto", RenderDevice::Auto}, {"cpu", RenderDevice::Cpu}, {"cuda", RenderDevice::Cuda}});
    };
    const auto onOff = [&](Setting key) {
        return parseChoice<RenderSwitch>(
            word(key), {{"auto", RenderSwitch::Auto}, {"on", RenderSwitch::On}, {"off", RenderSwitch::Off}});
    };
    s->device = device(Setting::RenderDevice);
    s->precision = parseChoice<RenderPrecision>(
        word(Setting::RenderPrecision),
        {{"auto", RenderPrecision::Auto}, {"fp32", RenderPrecision::Float32}, {"fp16", RenderPrecision::Float16}});
    s->releaseTextEncoder = onOff(Setting::ReleaseTextEncoder);
    s->vaeTiling = onOff(Setting::VaeTiling);
    s->textEncoderDevice = device(Setting::TextEncoderDevice);
    s->unetOffload = word(Setting::UNetOffload) == QLatin1String("blocks");
    s->textEncoderQuant = parseChoice<RenderQuant>(
        word(Setting::TextEncoderQuant),
        {{"none", RenderQuant::None}, {"int8", RenderQuant::Int8}, {"int4", RenderQuant::Int4}});
}

} // namespace studio::ui
