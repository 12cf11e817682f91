#include "engine/io/TorchSaveWriter.h"

#include "engine/common/EngineError.h"
#include "zip/ZipWriter.h"

#include <ATen/ATen.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>

namespace studio::engine {
namespace {

// Pickle protocol 2, only the opcodes torch.save uses for a dict of tensors.
class PickleBuilder
{
public:
    std::string bytes;

    void op(char code) { bytes.push_back(code); }
    void string(const std::string &text) // BINUNICODE
    {
        op('X');
        little(uint32_t(text.size()), 4);
        bytes += text;
    }
    void global(const char *module, const char *name)
    {
        op('c');
        bytes += module;
        bytes.push_back('\n');
        bytes += name;
        bytes.push_back('\n');
    }
    void integer(int64_t value)
    {
        if (value >= 0 && value < 256) {
            op('K');
            bytes.push_back(char(value));
        } else if (value >= 0 && value < 65536) {
            op('M');
            little(uint64_t(value), 2);
        } else if (value >= std::numeric_limits<int32_t>::min() && value <= std::numeric_limits<int32_t>::max()) {
            op('J');
            little(uint64_t(uint32_t(int32_t(value))), 4);
        } else { // LONG1, 8 bytes two's complement
            op('\x8a');
            bytes.push_back(8);
            little(uint64_t(value), 8);
        }
    }
    void tuple(const std::vector<int64_t> &values)
    {
        if (values.empty()) {
            op(')');
            return;
        }
        if (values.size() > 3)
            op('(');
        for (int64_t v : values)
            integer(v);
        op(values.size() == 1 ? '\x85' : values.size() == 2 ? '\x86' : values.size() == 3 ? '\x87' : 't');
    }

private:
    void little(uint64_t value, int count)
    {
        for (int i = 0; i < count; ++i)
            bytes.push_back(char((value >> (8 * i)) & 0xFF));
    }
};

std::string buildPickle(const std::vector<std::pair<std::string, at::Tensor>> &tensors)
{
    PickleBuilder p;
    p.op('\x80');
    p.bytes.push_back(2);
    p.op('}');
    // Python's pickler writes SETITEMS in batches of 1000.
    for (size_t start = 0; start < tensors.size(); start += 1000) {
        p.op('(');
        for (size_t i = start; i < std::min(tensors.size(), start + 1000); ++i) {
            const at::Tensor &t = tensors[i].second;
            p.string(tensors[i].first);
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.op('(');
            p.op('('); // persistent id ("storage", FloatStorage, key, "cpu", numel)
            p.string("storage");
            p.global("torch", t.scalar_type() == at::kHalf       ? "HalfStorage"
                              : t.scalar_type() == at::kBFloat16 ? "BFloat16Storage"
                                                                 : "FloatStorage");
            p.string(std::to_string(i));
            p.string("cpu");
            p.integer(t.numel());
            p.op('t');
            p.op('Q');
            p.integer(0); // storage offset
            p.tuple(t.sizes().vec());
            p.tuple(t.strides().vec());
            p.op('\x89'); // requires_grad False
            p.global("collections", "OrderedDict");
            p.op(')');
            p.op('R');
            p.op('t');
            p.op('R');
        }
        p.op('u');
    }
    p.op('.');
    return p.bytes;
}

} // namespace

void writeTorchSave(const std::string &path, const std::vector<std::pair<std::string, at::Tensor>> &tensors,
                    const std::string &archiveName, bool keepHalfDtypes)
{
    std::vector<std::pair<std::string, at::Tensor>> cpu;
    for (const auto &[name, tensor] : tensors) {
        if (!tensor.defined() || !tensor.is_floating_point())
            throw EngineError(EngineError::Code::BadArgument, "cannot save tensor \"" + name + "\" as float32");
        const bool half = tensor.scalar_type() == at::kHalf || tensor.scalar_type() == at::kBFloat16;
        cpu.emplace_back(name,
                         tensor.detach().to(at::kCPU, keepHalfDtypes && half ? tensor.scalar_type() : at::kFloat).contiguous());
    }
    const std::string pickle = buildPickle(cpu);
    zip::ZipWriter archive;
    bool ok = archive.add(archiveName + "/data.pkl", pickle);
    for (size_t i = 0; ok && i < cpu.size(); ++i) {
        const at::Tensor &t = cpu[i].second;
        // torch.save aligns every storage to 64 bytes, so readers can map them in place.
        ok = archive.add(archiveName + "/data/" + std::to_string(i), t.data_ptr(), size_t(t.numel()) * t.element_size(),
                         64);
    }
    ok = ok && archive.add(archiveName + "/version", std::string("3\n"));
    const std::vector<uint8_t> bytes = ok ? archive.finish() : std::vector<uint8_t>();
    if (bytes.empty())
        throw EngineError(EngineError::Code::BadArgument, "cannot write " + path + ": " + archive.error());
    const std::string temporary = path + ".part";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        if (!out || !out.write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size())) ||
            !out.flush()) {
            out.close();
            std::error_code ignored;
            std::filesystem::remove(temporary, ignored);
            throw EngineError(EngineError::Code::Io, "cannot write " + path + " (disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        throw EngineError(EngineError::Code::Io, "cannot write " + path);
    }
}

} // namespace studio::engine
