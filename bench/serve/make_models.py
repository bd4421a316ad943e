#!/usr/bin/env python3
"""Exports the two benchmark MLPs to ONNX with Debian's python3-torch: OUT/small (784-256-256-10)
and OUT/large (784-2048-2048-10), each with a model.yaml, plus OUT/request-784.json."""
import json
import os
import sys

import torch

out = sys.argv[1]
torch.manual_seed(0)
for name, hidden, batching in (("small", 256, "{maxBatchSize: 1, workers: 2}"),
                               ("large", 2048, "{maxBatchSize: 32, maxLatency: 2ms, workers: 2, maxQueue: 4096}")):
    model = torch.nn.Sequential(torch.nn.Linear(784, hidden), torch.nn.ReLU(),
                                torch.nn.Linear(hidden, hidden), torch.nn.ReLU(),
                                torch.nn.Linear(hidden, 10)).eval()
    directory = os.path.join(out, name)
    os.makedirs(directory, exist_ok=True)
    torch.onnx.export(model, torch.randn(1, 784), os.path.join(directory, "model.onnx"),
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    with open(os.path.join(directory, "model.yaml"), "w") as f:
        f.write("name: %s\nformat: onnx\nbatching: %s\n" % (name, batching))
x = torch.rand(784)
with open(os.path.join(out, "request-784.json"), "w") as f:
    json.dump({"inputs": [{"name": "input", "shape": [1, 784], "datatype": "FP32",
                           "data": [round(v, 6) for v in x.tolist()]}]}, f)
