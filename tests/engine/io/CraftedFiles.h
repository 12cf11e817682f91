#pragma once

// Hand-made torch.save archives for the loader tests: a minimal zip writer (stored or "deflated" entries) and
// a pickle byte builder, so hostile files can be written opcode by opcode. Header-only test helper.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace crafted {

using Bytes = std::string;

inline void le(Bytes &out, uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.push_back(char((value >> (8 * i)) & 0xFF));
}

// A zip file of `entries` (name, bytes). `method` 0 = stored; anything else is written as-is in the headers.
// Entries start 64-byte aligned like torch's own writer, unless `align` is false.
inline Bytes zip(const std::vector<std::pair<std::string, Bytes>> &entries, uint16_t method = 0, bool align = true)
{
    Bytes out, directory;
    for (const auto &[name, data] : entries) {
        const uint64_t offset = out.size();
        uint64_t extra = 0;
        if (align) {
            const uint64_t start = offset + 30 + name.size() + 4;
            extra = 4 + (64 - start % 64) % 64;
        }
        le(out, 0x04034b50, 4);
        le(out, 20, 2);
        le(out, 0, 2);
        le(out, method, 2);
        le(out, 0, 4); // time, date
        le(out, 0, 4); // crc (not checked)
        le(out, data.size(), 4);
        le(out, data.size(), 4);
        le(out, name.size(), 2);
        le(out, extra, 2);
        out += name;
        if (extra) {
            le(out, 0x1234, 2); // padding field id
            le(out, extra - 4, 2);
            out.append(size_t(extra - 4), 'Z');
        }
        out += data;

        le(directory, 0x02014b50, 4);
        le(directory, 20, 2);
        le(directory, 20, 2);
        le(directory, 0, 2);
        le(directory, method, 2);
        le(directory, 0, 4);
        le(directory, 0, 4);
        le(directory, data.size(), 4);
        le(directory, data.size(), 4);
        le(directory, name.size(), 2);
        le(directory, 0, 2);
        le(directory, 0, 2);
        le(directory, 0, 2);
        le(directory, 0, 2);
        le(directory, 0, 4);
        le(directory, offset, 4);
        directory += name;
    }
    const uint64_t directoryOffset = out.size();
    out += directory;
    le(out, 0x06054b50, 4);
    le(out, 0, 2);
    le(out, 0, 2);
    le(out, entries.size(), 2);
    le(out, entries.size(), 2);
    le(out, directory.size(), 4);
    le(out, directoryOffset, 4);
    le(out, 0, 2);
    return out;
}

// Pickle opcodes, protocol 2 as torch.save writes them (plus a few protocol-4 ones).
class Pickle
{
public:
    Pickle &proto(int version = 2) { return op(0x80).byte(version); }
    Pickle &stop() { return op('.'); }
    Pickle &mark() { return op('('); }
    Pickle &emptyDict() { return op('}'); }
    Pickle &emptyList() { return op(']'); }
    Pickle &emptyTuple() { return op(')'); }
    Pickle &tuple() { return op('t'); }
    Pickle &tuple1() { return op(0x85); }
    Pickle &tuple2() { return op(0x86); }
    Pickle &tuple3() { return op(0x87); }
    Pickle &setItem() { return op('s'); }
    Pickle &setItems() { return op('u'); }
    Pickle &append() { return op('a'); }
    Pickle &appends() { return op('e'); }
    Pickle &reduce() { return op('R'); }
    Pickle &build() { return op('b'); }
    Pickle &newObj() { return op(0x81); }
    Pickle &binPersId() { return op('Q'); }
    Pickle &none() { return op('N'); }
    Pickle &pop() { return op('0'); }
    Pickle &newFalse() { return op(0x89); }
    Pickle &newTrue() { return op(0x88); }
    Pickle &put(int index) { return op('q').byte(index); }
    Pickle &get(int index) { return op('h').byte(index); }
    Pickle &stackGlobal() { return op(0x93); }
    Pickle &global(const std::string &module, const std::string &name)
    {
        op('c');
        m_bytes += module + "\n" + name + "\n";
        return *this;
    }
    Pickle &inst(const std::string &module, const std::string &name)
    {
        op('i');
        m_bytes += module + "\n" + name + "\n";
        return *this;
    }
    Pickle &string(const std::string &text)
    {
        op('X');
        le(m_bytes, text.size(), 4);
        m_bytes += text;
        return *this;
    }
    Pickle &integer(int32_t value)
    {
        op('J');
        le(m_bytes, uint32_t(value), 4);
        return *this;
    }
    Pickle &raw(const Bytes &bytes)
    {
        m_bytes += bytes;
        return *this;
    }
    // (storage, offset, size, stride) rebuilt through torch._utils._rebuild_tensor_v2 over storage `key`.
    Pickle &tensor(const std::string &storageType, const std::string &key, int32_t numel,
                   const std::vector<int32_t> &size, const std::vector<int32_t> &stride, int32_t offset = 0)
    {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().string("storage").global("torch", storageType).string(key).string("cpu").integer(numel).tuple();
        binPersId().integer(offset);
        mark();
        for (int32_t s : size)
            integer(s);
        tuple().mark();
        for (int32_t s : stride)
            integer(s);
        tuple().newFalse().global("collections", "OrderedDict").emptyTuple().reduce().tuple();
        return reduce();
    }
    const Bytes &bytes() const { return m_bytes; }

private:
    Pickle &op(int code) { return byte(code); }
    Pickle &byte(int value)
    {
        m_bytes.push_back(char(value));
        return *this;
    }
    Bytes m_bytes;
};

inline Bytes floats(const std::vector<float> &values)
{
    return Bytes(reinterpret_cast<const char *>(values.data()), values.size() * sizeof(float));
}

// A torch.save-style archive "archive/" around a pickle and its storages.
inline Bytes archive(const Bytes &pickle, const std::vector<std::pair<std::string, Bytes>> &storages = {})
{
    std::vector<std::pair<std::string, Bytes>> entries = {{"archive/data.pkl", pickle}};
    for (const auto &[key, data] : storages)
        entries.emplace_back("archive/data/" + key, data);
    entries.emplace_back("archive/version", "3\n");
    return zip(entries);
}

} // namespace crafted
