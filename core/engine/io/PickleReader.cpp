#include "engine/io/PickleReader.h"

#include "engine/common/EngineError.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>

namespace studio::engine {
namespace {

// Containers nest this deep at most (a state dict needs 3); bounds recursion when flattening and freeing.
constexpr int kMaxDepth = 32;
constexpr size_t kMaxDims = 64;

struct Value;
using Ref = std::shared_ptr<Value>;

struct Value
{
    enum class Kind
    {
        None,
        Bool,
        Int,
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,
        Global,
        StorageType,
        Storage,
        Tensor
    };
    Kind kind = Kind::None;
    int64_t integer = 0;                                // Bool, Int
    double real = 0;                                    // Float
    std::string text;                                   // String, Bytes, Global ("module.name")
    std::vector<Ref> items;                             // Tuple, List
    std::vector<std::pair<Ref, Ref>> pairs;             // Dict, in insertion order
    std::unordered_map<std::string, size_t> stringKeys; // Dict: index into pairs of each string key
    c10::ScalarType dtype = c10::kFloat;                // StorageType, Storage
    at::Tensor tensor;                                  // Storage (1-D), Tensor
    bool ordered = false;                               // an OrderedDict (BUILD may attach ignored attributes to it)
    bool frozen = false;                                // inside another container: may no longer change (no cycles)
    int depth = 0;                                      // nesting depth of containers below and including this one
};

const char *kindName(Value::Kind kind)
{
    switch (kind) {
    case Value::Kind::None:
        return "None";
    case Value::Kind::Bool:
        return "bool";
    case Value::Kind::Int:
        return "int";
    case Value::Kind::Float:
        return "float";
    case Value::Kind::String:
        return "str";
    case Value::Kind::Bytes:
        return "bytes";
    case Value::Kind::Tuple:
        return "tuple";
    case Value::Kind::List:
        return "list";
    case Value::Kind::Dict:
        return "dict";
    case Value::Kind::Global:
        return "global";
    case Value::Kind::StorageType:
        return "storage type";
    case Value::Kind::Storage:
        return "storage";
    case Value::Kind::Tensor:
        return "tensor";
    }
    return "?";
}

// What one value, memo entry, container entry or stack entry costs in memory, roughly: enough to keep the
// budget's byte estimate honest to a small factor.
constexpr uint64_t kValueBytes = sizeof(Value) + 32; // the value and its shared_ptr control block
constexpr uint64_t kTensorBytes = 1024;              // a tensor view's TensorImpl and storage reference
constexpr uint64_t kEntryBytes = 96;                 // a container slot, its hash-index node
constexpr uint64_t kMemoBytes = 64;                  // an unordered_map node
constexpr uint64_t kStackBytes = sizeof(Ref);

// Counts what the pickle costs against its budget; exceeding any limit refuses the file.
class Meter
{
public:
    Meter(const PickleBudget &budget, const std::string &label) : m_budget(budget), m_label(label) {}

    void value(uint64_t extraBytes = 0)
    {
        if (++m_values > m_budget.values)
            exceeded(std::to_string(m_budget.values) + " values");
        bytes(kValueBytes + extraBytes);
    }
    void bytes(uint64_t n)
    {
        if (n > m_budget.bytes - m_bytes)
            exceeded(std::to_string(m_budget.bytes >> 20) + " MiB of memory");
        m_bytes += n;
    }
    void memo(uint64_t entries)
    {
        if (entries > m_budget.memo)
            exceeded(std::to_string(m_budget.memo) + " memo entries");
    }
    void stack(uint64_t entries)
    {
        if (entries > m_budget.stack)
            exceeded(std::to_string(m_budget.stack) + " stack entries");
    }

private:
    [[noreturn]] void exceeded(const std::string &limit) const
    {
        throw EngineError(EngineError::Code::BadFile,
                          m_label + ": refused: the pickle needs more than " + limit +
                              ", far more than a model file of this size holds (a damaged or hostile file)");
    }

    const PickleBudget &m_budget;
    const std::string &m_label;
    uint64_t m_values = 0, m_bytes = 0;
};

// torch.<Name>Storage globals name the element type of persistent storages.
bool storageDtype(const std::string &name, c10::ScalarType *dtype)
{
    static const std::map<std::string, c10::ScalarType> kTypes = {
        {"FloatStorage", c10::kFloat},   {"HalfStorage", c10::kHalf}, {"BFloat16Storage", c10::kBFloat16},
        {"DoubleStorage", c10::kDouble}, {"LongStorage", c10::kLong}, {"IntStorage", c10::kInt},
        {"ShortStorage", c10::kShort},   {"CharStorage", c10::kChar}, {"ByteStorage", c10::kByte},
        {"BoolStorage", c10::kBool},
    };
    const auto it = kTypes.find(name);
    if (it == kTypes.end())
        return false;
    *dtype = it->second;
    return true;
}

// The callables a state dict needs. Everything else is refused at the GLOBAL opcode, before anything runs.
const char *const kCallables[] = {
    "collections.OrderedDict",
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_tensor",
    "torch._utils._rebuild_parameter",
    "torch._utils._rebuild_parameter_with_state",
    "torch.jit._pickle.restore_type_tag", // LibTorch's torch::pickle_save: (container, "Dict[str, Tensor]")
};

class PickleMachine
{
public:
    PickleMachine(const uint8_t *data, uint64_t size, const std::string &label, const PickleStorageLoader &storage,
                  Meter &meter)
        : m_data(data), m_size(size), m_label(label), m_storage(storage), m_meter(meter)
    {
    }

    Ref run();

private:
    [[noreturn]] void fail(const std::string &what) const
    {
        throw EngineError(EngineError::Code::BadFile,
                          m_label + ": " + what + " (pickle byte " + std::to_string(m_opStart) + ")");
    }
    const uint8_t *take(uint64_t n)
    {
        if (n > m_size - m_pos)
            fail("the pickle ends in the middle of an instruction");
        const uint8_t *p = m_data + m_pos;
        m_pos += n;
        return p;
    }
    uint64_t readLe(int bytes)
    {
        const uint8_t *p = take(uint64_t(bytes));
        uint64_t v = 0;
        for (int i = bytes - 1; i >= 0; --i)
            v = (v << 8) | p[i];
        return v;
    }
    std::string readText(uint64_t n)
    {
        const uint8_t *p = take(n);
        m_meter.bytes(n);
        return std::string(reinterpret_cast<const char *>(p), size_t(n));
    }
    std::string readLine()
    {
        const uint64_t start = m_pos;
        while (m_pos < m_size && m_data[m_pos] != '\n')
            ++m_pos;
        if (m_pos >= m_size)
            fail("the pickle ends in the middle of a name");
        const std::string line(reinterpret_cast<const char *>(m_data + start), size_t(m_pos - start));
        ++m_pos;
        return line;
    }

    Ref make(Value::Kind kind)
    {
        m_meter.value(kind == Value::Kind::Tensor || kind == Value::Kind::Storage ? kTensorBytes : 0);
        auto value = std::make_shared<Value>();
        value->kind = kind;
        return value;
    }
    void push(Ref value)
    {
        // DUP and memo reads push without building anything: the stack has its own limit.
        m_meter.stack(m_stack.size() + m_marks.size() + 1);
        if (m_stack.size() == m_stack.capacity())
            m_meter.bytes(m_stack.size() * kStackBytes); // the vector doubles
        m_stack.push_back(std::move(value));
    }
    void mark()
    {
        m_meter.stack(m_stack.size() + m_marks.size() + 1);
        m_meter.bytes(sizeof(size_t));
        m_marks.push_back(m_stack.size());
    }
    void memoize(uint64_t index)
    {
        Ref &slot = m_memo[index];
        if (!slot) {
            m_meter.memo(m_memo.size());
            m_meter.bytes(kMemoBytes);
        }
        slot = top();
    }
    Ref pop()
    {
        if (m_stack.size() <= floor())
            fail("the pickle pops from an empty stack");
        Ref value = std::move(m_stack.back());
        m_stack.pop_back();
        return value;
    }
    Ref &top()
    {
        if (m_stack.size() <= floor())
            fail("the pickle reads from an empty stack");
        return m_stack.back();
    }
    size_t floor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    std::vector<Ref> popToMark()
    {
        if (m_marks.empty())
            fail("the pickle has no mark to return to");
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<Ref> items(std::make_move_iterator(m_stack.begin() + std::ptrdiff_t(mark)),
                               std::make_move_iterator(m_stack.end()));
        m_stack.resize(mark);
        return items;
    }

    // A value placed inside a container is final: this is what keeps the object graph acyclic.
    void adopt(Value &container, const Ref &child)
    {
        // The child's own contents are all frozen already, so only the container itself could close a cycle.
        if (child.get() == &container)
            fail("the pickle puts a container inside itself");
        m_meter.bytes(kEntryBytes);
        child->frozen = true;
        container.depth = std::max(container.depth, child->depth + 1);
        if (container.depth > kMaxDepth)
            fail("containers nest deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    Ref tuple(std::vector<Ref> items)
    {
        Ref t = make(Value::Kind::Tuple);
        for (const Ref &item : items)
            adopt(*t, item);
        t->items = std::move(items);
        return t;
    }
    Value &mutableContainer(const Ref &value, Value::Kind kind)
    {
        if (value->kind != kind)
            fail(std::string("the pickle adds items to a ") + kindName(value->kind) + " as if it were a " +
                 kindName(kind));
        if (value->frozen)
            fail("the pickle changes a container after placing it inside another");
        return *value;
    }
    void setItem(const Ref &dict, Ref key, Ref value)
    {
        Value &d = mutableContainer(dict, Value::Kind::Dict);
        adopt(d, key);
        adopt(d, value);
        if (key->kind == Value::Kind::String) {
            const auto found = d.stringKeys.find(key->text);
            if (found != d.stringKeys.end()) {
                d.pairs[found->second].second = std::move(value);
                return;
            }
            d.stringKeys.emplace(key->text, d.pairs.size());
        }
        d.pairs.emplace_back(std::move(key), std::move(value));
    }

    void global(const std::string &module, const std::string &name);
    void reduce();
    void build();
    void persistentId();
    Ref rebuildTensor(const std::vector<Ref> &args, const char *what);
    int64_t intArg(const Ref &value, const char *what) const
    {
        if (value->kind != Value::Kind::Int)
            fail(std::string(what) + " is a " + kindName(value->kind) + ", not an int");
        return value->integer;
    }
    std::vector<int64_t> intTuple(const Ref &value, const char *what) const
    {
        if (value->kind != Value::Kind::Tuple)
            fail(std::string(what) + " is a " + kindName(value->kind) + ", not a tuple");
        if (value->items.size() > kMaxDims)
            fail(std::string(what) + " has more than " + std::to_string(kMaxDims) + " dimensions");
        std::vector<int64_t> out;
        for (const Ref &item : value->items) {
            out.push_back(intArg(item, what));
            if (out.back() < 0)
                fail(std::string(what) + " holds a negative value");
        }
        return out;
    }

    const uint8_t *m_data;
    uint64_t m_size;
    uint64_t m_pos = 0, m_opStart = 0;
    const std::string &m_label;
    const PickleStorageLoader &m_storage;
    Meter &m_meter;
    std::vector<Ref> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, Ref> m_memo;
    std::map<std::string, Ref> m_storages;
};

void PickleMachine::global(const std::string &module, const std::string &name)
{
    const std::string full = module + "." + name;
    c10::ScalarType dtype;
    if (module == "torch" && storageDtype(name, &dtype)) {
        Ref type = make(Value::Kind::StorageType);
        type->dtype = dtype;
        type->text = full;
        push(type);
        return;
    }
    for (const char *allowed : kCallables) {
        if (full == allowed) {
            Ref callable = make(Value::Kind::Global);
            callable->text = full;
            push(callable);
            return;
        }
    }
    fail("refused: the pickle references " + full +
         "; model files may only hold tensors and plain containers, nothing that runs code");
}

void PickleMachine::persistentId()
{
    const Ref id = pop();
    if (id->kind != Value::Kind::Tuple || id->items.size() != 5 || id->items[0]->kind != Value::Kind::String ||
        id->items[0]->text != "storage")
        fail("unknown persistent id (expected (\"storage\", type, key, location, numel))");
    const Ref &type = id->items[1];
    const Ref &key = id->items[2];
    if (type->kind != Value::Kind::StorageType)
        fail("persistent storage id without a storage type");
    if (key->kind != Value::Kind::String || id->items[3]->kind != Value::Kind::String)
        fail("persistent storage id with a non-string key or location");
    const int64_t numel = intArg(id->items[4], "storage size");
    if (numel < 0)
        fail("negative storage size");
    Ref &cached = m_storages[key->text];
    if (!cached) {
        cached = make(Value::Kind::Storage);
        cached->dtype = type->dtype;
        cached->tensor = m_storage(key->text, type->dtype, numel);
    } else if (cached->dtype != type->dtype || cached->tensor.numel() != numel) {
        fail("storage \"" + key->text + "\" is referenced with two different types or sizes");
    }
    push(cached);
}

Ref PickleMachine::rebuildTensor(const std::vector<Ref> &args, const char *what)
{
    if (args.size() < 4 || args[0]->kind != Value::Kind::Storage)
        fail(std::string(what) + " without (storage, offset, size, stride)");
    const at::Tensor &storage = args[0]->tensor;
    const int64_t offset = intArg(args[1], "storage offset");
    const std::vector<int64_t> sizes = intTuple(args[2], "tensor size");
    const std::vector<int64_t> strides = intTuple(args[3], "tensor stride");
    if (sizes.size() != strides.size())
        fail("tensor size and stride differ in length");
    if (offset < 0)
        fail("negative storage offset");
    // Every element must lie inside the storage: offset + sum((size-1)*stride) < numel, without overflow.
    uint64_t last = uint64_t(offset);
    bool empty = false;
    uint64_t elements = 1;
    for (const int64_t size : sizes) {
        if (size != 0 && elements > uint64_t(std::numeric_limits<int64_t>::max()) / uint64_t(size))
            fail("tensor size overflows");
        elements *= uint64_t(size);
    }
    for (size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] == 0) {
            empty = true;
            continue;
        }
        const uint64_t span = uint64_t(sizes[i] - 1);
        const uint64_t stride = uint64_t(strides[i]);
        if (stride != 0 && span > (std::numeric_limits<uint64_t>::max() - last) / stride)
            fail("tensor extent overflows");
        last += span * stride;
    }
    Ref tensor = make(Value::Kind::Tensor);
    if (empty) {
        tensor->tensor = at::empty(sizes, at::TensorOptions().dtype(args[0]->dtype));
    } else {
        if (last >= uint64_t(storage.numel()))
            fail("tensor reaches element " + std::to_string(last) + " of a storage of " +
                 std::to_string(storage.numel()));
        tensor->tensor = storage.as_strided(sizes, strides, offset);
    }
    return tensor;
}

void PickleMachine::reduce()
{
    const Ref args = pop();
    const Ref callable = pop();
    if (callable->kind != Value::Kind::Global)
        fail(std::string("the pickle calls a ") + kindName(callable->kind));
    if (args->kind != Value::Kind::Tuple)
        fail("the pickle calls " + callable->text + " without an argument tuple");
    args->frozen = true;
    const std::string &name = callable->text;
    const std::vector<Ref> &a = args->items;
    if (name == "collections.OrderedDict") {
        if (!a.empty())
            fail("OrderedDict built from arguments");
        Ref dict = make(Value::Kind::Dict);
        dict->ordered = true;
        push(dict);
    } else if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
        push(rebuildTensor(a, name.c_str()));
    } else if (name == "torch.jit._pickle.restore_type_tag") {
        if (a.size() != 2 || a[1]->kind != Value::Kind::String)
            fail(name + " without (value, type name)");
        push(a[0]); // the type name only re-tags the container's element types
    } else if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
        if (a.empty() || a[0]->kind != Value::Kind::Tensor)
            fail(name + " without a tensor");
        push(a[0]);
    } else {
        fail("the pickle calls " + name);
    }
}

void PickleMachine::build()
{
    const Ref state = pop();
    const Ref &object = top();
    // Only OrderedDict state (the _metadata attribute of module.state_dict()) is expected; it is not needed.
    if (object->kind != Value::Kind::Dict || !object->ordered)
        fail(std::string("the pickle sets the state of a ") + kindName(object->kind));
    state->frozen = true;
}

Ref PickleMachine::run()
{
    while (true) {
        m_opStart = m_pos;
        const uint8_t op = *take(1);
        switch (op) {
        case 0x80: // PROTO
            if (*take(1) > 5)
                fail("unknown pickle protocol");
            break;
        case 0x95: // FRAME (protocol 4): a length we do not need
            take(8);
            break;
        case '.': { // STOP
            if (!m_marks.empty() || m_stack.size() != 1)
                fail("the pickle stops with " + std::to_string(m_stack.size()) + " values on the stack");
            return m_stack.back();
        }
        case '(':
            mark();
            break; // MARK
        case '0':
            pop();
            break; // POP
        case '1':
            popToMark();
            break; // POP_MARK
        case '2':
            push(top());
            break; // DUP
        case 'N':
            push(make(Value::Kind::None));
            break;
        case 0x88:
        case 0x89: { // NEWTRUE / NEWFALSE
            Ref v = make(Value::Kind::Bool);
            v->integer = op == 0x88;
            push(v);
            break;
        }
        case 'K':
        case 'M':
        case 'J': { // BININT1 / BININT2 / BININT
            Ref v = make(Value::Kind::Int);
            v->integer = op == 'K' ? int64_t(readLe(1)) : op == 'M' ? int64_t(readLe(2)) : int64_t(int32_t(readLe(4)));
            push(v);
            break;
        }
        case 0x8a: { // LONG1: little-endian two's complement of n bytes
            const uint64_t n = readLe(1);
            if (n > 8)
                fail("integer too large");
            Ref v = make(Value::Kind::Int);
            uint64_t bits = n ? readLe(int(n)) : 0;
            if (n > 0 && n < 8 && (bits >> (8 * n - 1)) & 1)
                bits |= ~uint64_t(0) << (8 * n); // sign-extend
            v->integer = int64_t(bits);
            push(v);
            break;
        }
        case 'G': { // BINFLOAT, big-endian
            const uint8_t *p = take(8);
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i)
                bits = (bits << 8) | p[i];
            Ref v = make(Value::Kind::Float);
            std::memcpy(&v->real, &bits, sizeof bits);
            push(v);
            break;
        }
        case 'X':
        case 0x8c:
        case 0x8d:
        case 'B':
        case 'C':
        case 0x8e: { // (SHORT_)BINUNICODE(8), (SHORT_)BINBYTES(8)
            const bool text = op == 'X' || op == 0x8c || op == 0x8d;
            const int width = (op == 0x8c || op == 'C') ? 1 : (op == 0x8d || op == 0x8e) ? 8 : 4;
            Ref v = make(text ? Value::Kind::String : Value::Kind::Bytes);
            v->text = readText(readLe(width));
            push(v);
            break;
        }
        case ')':
            push(make(Value::Kind::Tuple));
            break; // EMPTY_TUPLE
        case 't':
            push(tuple(popToMark()));
            break; // TUPLE
        case 0x85:
        case 0x86:
        case 0x87: { // TUPLE1..3
            std::vector<Ref> items(size_t(op - 0x84));
            for (size_t i = items.size(); i-- > 0;)
                items[i] = pop();
            push(tuple(std::move(items)));
            break;
        }
        case ']':
            push(make(Value::Kind::List));
            break;  // EMPTY_LIST
        case 'l': { // LIST
            Ref list = make(Value::Kind::List);
            for (Ref &item : popToMark()) {
                adopt(*list, item);
                list->items.push_back(std::move(item));
            }
            push(list);
            break;
        }
        case 'a': { // APPEND
            Ref item = pop();
            Value &list = mutableContainer(top(), Value::Kind::List);
            adopt(list, item);
            list.items.push_back(std::move(item));
            break;
        }
        case 'e': { // APPENDS
            std::vector<Ref> items = popToMark();
            Value &list = mutableContainer(top(), Value::Kind::List);
            for (Ref &item : items) {
                adopt(list, item);
                list.items.push_back(std::move(item));
            }
            break;
        }
        case '}':
            push(make(Value::Kind::Dict));
            break;  // EMPTY_DICT
        case 'd': { // DICT
            std::vector<Ref> items = popToMark();
            if (items.size() % 2)
                fail("a dict with a key but no value");
            Ref dict = make(Value::Kind::Dict);
            for (size_t i = 0; i < items.size(); i += 2)
                setItem(dict, items[i], items[i + 1]);
            push(dict);
            break;
        }
        case 's': { // SETITEM
            Ref value = pop();
            Ref key = pop();
            setItem(top(), std::move(key), std::move(value));
            break;
        }
        case 'u': { // SETITEMS
            std::vector<Ref> items = popToMark();
            if (items.size() % 2)
                fail("a dict with a key but no value");
            const Ref dict = top();
            for (size_t i = 0; i < items.size(); i += 2)
                setItem(dict, items[i], items[i + 1]);
            break;
        }
        case 'q':
            memoize(readLe(1));
            break; // BINPUT
        case 'r':
            memoize(readLe(4));
            break; // LONG_BINPUT
        case 0x94:
            memoize(uint64_t(m_memo.size()));
            break; // MEMOIZE
        case 'h':
        case 'j': { // BINGET / LONG_BINGET
            const auto found = m_memo.find(readLe(op == 'h' ? 1 : 4));
            if (found == m_memo.end())
                fail("the pickle refers to a value it never stored");
            push(found->second);
            break;
        }
        case 'c': { // GLOBAL "module\nname\n"
            const std::string module = readLine();
            const std::string name = readLine();
            global(module, name);
            break;
        }
        case 0x93: { // STACK_GLOBAL
            const Ref name = pop();
            const Ref module = pop();
            if (module->kind != Value::Kind::String || name->kind != Value::Kind::String)
                fail("STACK_GLOBAL without two names");
            global(module->text, name->text);
            break;
        }
        case 'R':
            reduce();
            break;
        case 'b':
            build();
            break;
        case 'Q':
            persistentId();
            break;
        default: {
            static const char hex[] = "0123456789abcdef";
            fail(std::string("refused: pickle instruction 0x") + hex[op >> 4] + hex[op & 15] +
                 " is not allowed in a model file (only plain containers and tensors are)");
        }
        }
    }
}

// Walks the dict tree. Memo references let one dict appear under many keys, so the walk may visit far more
// entries than the pickle built: every visit and every name is metered.
void flatten(const Value &dict, const std::string &prefix, const std::string &label, Meter &meter,
             std::vector<std::pair<std::string, at::Tensor>> *out, std::map<std::string, bool> *seen)
{
    for (const auto &[key, value] : dict.pairs) {
        meter.value();
        if (key->kind != Value::Kind::String)
            throw EngineError(EngineError::Code::BadFile, label + ": a " + std::string(kindName(key->kind)) +
                                                              " key where tensor names are expected");
        meter.bytes(prefix.size() + key->text.size());
        const std::string name = prefix + key->text;
        switch (value->kind) {
        case Value::Kind::Tensor:
            if (!seen->emplace(name, true).second)
                throw EngineError(EngineError::Code::BadFile, label + ": tensor \"" + name + "\" appears twice");
            out->emplace_back(name, value->tensor);
            break;
        case Value::Kind::Dict:
            flatten(*value, name + ".", label, meter, out, seen);
            break;
        case Value::Kind::None:
        case Value::Kind::Bool:
        case Value::Kind::Int:
        case Value::Kind::Float:
        case Value::Kind::String:
        case Value::Kind::Bytes:
            break; // bookkeeping next to the weights (epoch, step, ...)
        default:
            throw EngineError(EngineError::Code::BadFile, label + ": \"" + name + "\" holds a " +
                                                              kindName(value->kind) +
                                                              "; only tensors and string-keyed dicts are accepted");
        }
    }
}

} // namespace

PickleBudget PickleBudget::forFile(uint64_t fileBytes)
{
    // A real state dict spends several pickle bytes per value (a tensor is ~15 values in ~100 bytes) and far
    // more file bytes (its zip record and data). A quarter of the file's bytes in values, with a floor for tiny
    // files, is never reached by one; the memory estimate of ~250 bytes per value is capped at 512 MiB so a
    // hostile file of any size is refused before it exhausts a machine.
    constexpr uint64_t kFloorValues = 1u << 16;
    constexpr uint64_t kFloorBytes = 32ull << 20, kCapBytes = 512ull << 20;
    PickleBudget budget;
    budget.values = kFloorValues + fileBytes / 4;
    budget.memo = budget.values;
    budget.stack = budget.values;
    budget.bytes = std::min(kCapBytes, kFloorBytes + std::min(fileBytes, kCapBytes) * 32);
    return budget;
}

std::vector<std::pair<std::string, at::Tensor>> readPickledStateDict(const uint8_t *data, uint64_t size,
                                                                     const std::string &label,
                                                                     const PickleStorageLoader &storage,
                                                                     const PickleBudget &budget)
{
    Meter meter(budget, label);
    PickleMachine machine(data, size, label, storage, meter);
    Ref root = machine.run();
    if (root->kind != Value::Kind::Dict)
        throw EngineError(EngineError::Code::BadFile,
                          label + ": holds a " + std::string(kindName(root->kind)) + ", not a dict of tensors");
    const auto wrapped = root->stringKeys.find("state_dict");
    if (wrapped != root->stringKeys.end() && root->pairs[wrapped->second].second->kind == Value::Kind::Dict)
        root = root->pairs[wrapped->second].second;
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    std::map<std::string, bool> seen;
    flatten(*root, std::string(), label, meter, &tensors, &seen);
    return tensors;
}

} // namespace studio::engine
