#!/usr/bin/env python3
"""Writes the small seed corpus of the fuzzers (tests/fuzz/corpus/*). Needs only the Python standard library:
torch.save archives are imitated with stand-in classes that pickle under torch's global names."""
import collections
import json
import os
import pickle
import struct
import sys
import types
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")


def safetensors(tensors, metadata=None):
    header, blob = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, data) in sorted(tensors.items()):
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(blob), len(blob) + len(data)]}
        blob += data
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + blob


# Stand-ins that pickle exactly like torch's own objects (module + name of each global).
def _module(name):
    module = sys.modules.get(name) or types.ModuleType(name)
    sys.modules[name] = module
    return module


torch_mod, utils_mod = _module("torch"), _module("torch._utils")


def _global(module, name, obj):
    obj.__module__, obj.__qualname__, obj.__name__ = module.__name__, name, name
    setattr(module, name, obj)
    return obj


def _rebuild_tensor_v2(*args):
    raise RuntimeError("never called")


_global(utils_mod, "_rebuild_tensor_v2", _rebuild_tensor_v2)
STORAGE_TYPES = {}
for storage_name in ["FloatStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage", "ByteStorage",
                     "BoolStorage"]:
    STORAGE_TYPES[storage_name] = _global(torch_mod, storage_name, type(storage_name, (), {}))


class Storage:
    def __init__(self, kind, key, numel):
        self.kind, self.key, self.numel = kind, key, numel


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, tuple(size), tuple(stride), False, collections.OrderedDict())

    def __reduce__(self):
        return (_rebuild_tensor_v2, self.args)


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", STORAGE_TYPES[obj.kind], obj.key, "cpu", obj.numel)
        return None


def torch_pickle(obj):
    import io
    buffer = io.BytesIO()
    TorchPickler(buffer, protocol=2).dump(obj)
    return buffer.getvalue()


def torch_zip(obj, storages):
    import io
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", torch_pickle(obj))
        z.writestr("archive/byteorder", "little")
        for key, data in storages.items():
            z.writestr("archive/data/" + key, data)
        z.writestr("archive/version", "3\n")
    return buffer.getvalue()


def write(folder, name, data):
    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    with open(os.path.join(OUT, folder, name), "wb") as f:
        f.write(data)


def main():
    f32 = struct.pack("<6f", 1, 2, 3, 4, 5, 6)
    write("safetensors", "one_f32.safetensors", safetensors({"w": ("F32", [2, 3], f32)}, {"format": "pt"}))
    write("safetensors", "mixed.safetensors", safetensors({
        "a": ("F16", [2], b"\x00\x3c\x00\x40"), "b": ("BF16", [1], b"\x80\x3f"), "c": ("I64", [1], struct.pack("<q", -3)),
        "d": ("U8", [3], b"xyz"), "e": ("BOOL", [2], b"\x01\x00"), "f": ("I32", [0], b""), "s": ("F64", [], struct.pack("<d", 2.5))}))
    write("safetensors", "empty.safetensors", safetensors({}))

    flat = {"w": Tensor(Storage("FloatStorage", "0", 6), 0, [2, 3], [3, 1]),
            "t": Tensor(Storage("FloatStorage", "0", 6), 1, [2, 2], [1, 2])}
    write("torch_pickle", "flat.ckpt", torch_zip(flat, {"0": f32}))
    ordered = collections.OrderedDict(flat)
    write("torch_pickle", "state_dict.ckpt", torch_zip({"state_dict": ordered, "epoch": 3, "name": "x"}, {"0": f32}))
    typed = {"h": Tensor(Storage("HalfStorage", "1", 2), 0, [2], [1]),
             "l": Tensor(Storage("LongStorage", "2", 1), 0, [], []),
             "b": Tensor(Storage("BoolStorage", "3", 2), 0, [2], [1])}
    write("torch_pickle", "typed.ckpt",
          torch_zip(typed, {"1": b"\x00\x3c\x00\x40", "2": struct.pack("<q", 7), "3": b"\x01\x00"}))
    write("pickle", "flat.pkl", torch_pickle(flat))
    write("pickle", "state_dict.pkl", torch_pickle({"state_dict": ordered, "epoch": 3, "nested": {"x": [1, 2.5, None]}}))
    write("pickle", "typed.pkl", torch_pickle(typed))
    # Children shared through the memo: a few hundred bytes that ask for 2^20 visits when walked (the budget refuses).
    shared = {}
    for _ in range(20):
        shared = {"x": shared, "y": shared}
    write("pickle", "shared.pkl", torch_pickle({"a": shared}))
    write("torch_pickle", "shared.ckpt", torch_zip({"a": shared}, {}))


if __name__ == "__main__":
    main()
