"""Shared by the TFLite scripts: flatc with the schema netscore carries.

Debian's flatc 2.0.8 does not parse the schema's `(deprecated)` markers on
enum values, union members and tables; a temporary copy drops them."""
import json
import os
import re
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "internal", "format", "tflite", "schema", "schema.fbs")


def schema(tmp):
    s = open(SCHEMA).read()
    s = re.sub(r"(= \d+) \(deprecated\)", r"\1", s)
    s = re.sub(r"(\w+Options) \(deprecated\),", r"\1,", s)
    s = re.sub(r"table (\w+) \(deprecated\)", r"table \1", s)
    path = os.path.join(tmp, "schema.fbs")
    open(path, "w").write(s)
    return path


def to_json(model):
    """The model as flatc dumps it (defaults included)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["flatc", "--json", "--strict-json", "--raw-binary", "--defaults-json",
                        "-o", tmp, schema(tmp), "--", model], check=True)
        name = os.path.splitext(os.path.basename(model))[0] + ".json"
        return json.load(open(os.path.join(tmp, name)))


def to_binary(doc, out):
    """Writes the JSON model doc as a .tflite at out."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, os.path.splitext(os.path.basename(out))[0] + ".json")
        json.dump(doc, open(src, "w"))
        subprocess.run(["flatc", "-b", "-o", tmp, schema(tmp), src], check=True)
        os.replace(src[:-5] + ".tflite", out)  # the schema's file_extension


def flexbuffer(value):
    """value (a dict, list or scalar) as FlexBuffers bytes: custom ops'
    options, built by flatc from JSON."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "options.json")
        json.dump(value, open(src, "w"))
        subprocess.run(["flatc", "--flexbuffers", "-b", "-o", tmp, src], check=True)
        return open(os.path.join(tmp, "options.bin"), "rb").read()
