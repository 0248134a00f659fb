"""The model builder of the TFLite fixture scripts (make_tflite_ops.py,
make_tflite_quant.py): tensors, buffers and operators as flatc's JSON
spells them, written to a .tflite by tflite_json.to_binary."""
import struct
from math import ceil, prod

from count_tflite import BUILTINS

CODES = {v: k for k, v in BUILTINS.items()}
SIZE = {"FLOAT32": 4, "FLOAT16": 2, "INT32": 4, "INT64": 8, "INT16": 2, "INT8": 1, "UINT8": 1}


def nbytes(dtype, n):
    """Stored bytes of n elements; INT4 is packed two a byte."""
    return ceil(n / 2) if dtype == "INT4" else SIZE[dtype] * n


class Model:
    def __init__(self):
        self.tensors, self.buffers, self.ops, self.codes = [], [{}], [], []
        self.inputs, self.outputs = [], []

    def tensor(self, name, shape, dtype="FLOAT32", data=None, quant=None, signature=None):
        t = {"name": name, "shape": list(shape), "type": dtype}
        if data is not None:
            self.buffers.append({"data": list(data)})
            t["buffer"] = len(self.buffers) - 1
        if quant:
            t["quantization"] = quant
        if signature:
            t["shape_signature"] = signature
        self.tensors.append(t)
        return len(self.tensors) - 1

    def input(self, name, shape, dtype="FLOAT32", quant=None, signature=None):
        i = self.tensor(name, shape, dtype, quant=quant, signature=signature)
        self.inputs.append(i)
        return i

    def weight(self, name, shape, dtype="FLOAT32", quant=None):
        """A constant of zeros, stored as dtype stores it."""
        return self.tensor(name, shape, dtype, bytes(nbytes(dtype, prod(shape))), quant)

    def weights(self, ins, name, slots, shape):
        """Puts a weight of shape at each of the input slots of ins."""
        for k in slots:
            ins[k] = self.weight("%s%d" % (name, k), shape)

    def state(self, name, shape):
        """A variable tensor (recurrent state): no buffer, so not a param."""
        i = self.tensor(name, shape)
        self.tensors[i]["is_variable"] = True
        return i

    def ints(self, name, values, shape=None):
        return self.tensor(name, shape or [len(values)], "INT32", struct.pack("<%di" % len(values), *values))

    def op(self, name, ins, out_shape, dtype="FLOAT32", quant=None, options=None, out_name=None, custom=None):
        if name not in [c[0] for c in self.codes]:
            code = CODES.get(name, 32)
            entry = {"deprecated_builtin_code": min(code, 127), "builtin_code": BUILTINS[code], "version": 1}
            if code == 32:
                entry["custom_code"] = name
            self.codes.append((name, entry))
        o = self.tensor(out_name or "%s_%d" % (name.lower(), len(self.ops)), out_shape, dtype, quant=quant)
        op = {"opcode_index": [c[0] for c in self.codes].index(name), "inputs": ins, "outputs": [o]}
        if options:
            op["builtin_options_type"], op["builtin_options"] = options
        if custom is not None:
            op["custom_options"] = list(custom)
        self.ops.append(op)
        return o

    def op_multi(self, name, ins, shapes, options=None):
        """An op with one output per shape; returns their indices."""
        first = self.op(name, ins, shapes[0], options=options)
        outs = [first] + [self.tensor("%s_%d_%d" % (name.lower(), len(self.ops) - 1, k), sh) for k, sh in enumerate(shapes[1:], 1)]
        self.ops[-1]["outputs"] = outs
        return outs

    def doc(self, outputs):
        return {"version": 3, "description": "netscore test fixture", "operator_codes": [c[1] for c in self.codes],
                "subgraphs": [{"tensors": self.tensors, "inputs": self.inputs, "outputs": outputs,
                               "operators": self.ops, "name": "main"}],
                "buffers": self.buffers}
