#!/usr/bin/env python3
"""Exports two versions of a small MLP (784-256-256-10, different weights) to ONNX with Debian's
python3-torch: OUT/v1 and OUT/v2, each with a model.yaml, plus OUT/request-784.json."""
import json
import os
import sys

import torch

out = sys.argv[1]
for version, seed in (("v1", 1), ("v2", 2)):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 10)).eval()
    directory = os.path.join(out, version)
    os.makedirs(directory, exist_ok=True)
    torch.onnx.export(model, torch.randn(1, 784), os.path.join(directory, "model.onnx"),
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    with open(os.path.join(directory, "model.yaml"), "w") as f:
        f.write("name: mlp\nformat: onnx\nbatching: {maxBatchSize: 1, workers: 2}\n")
torch.manual_seed(0)
x = torch.rand(784)
with open(os.path.join(out, "request-784.json"), "w") as f:
    json.dump({"inputs": [{"name": "input", "shape": [1, 784], "datatype": "FP32",
                           "data": [round(v, 6) for v in x.tolist()]}]}, f)
