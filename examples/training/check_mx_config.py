"""Checks the MX_CONFIG and DMLC_* contract MXNet's launcher reads, without MXNet itself."""
import json
import os
import sys

config = json.loads(os.environ["MX_CONFIG"])
role = os.environ["DMLC_ROLE"]
assert role == config["task"]["type"], (role, config)
assert os.environ["DMLC_USE_KUBERNETES"] == "1"
assert int(os.environ["DMLC_NUM_SERVER"]) == len(config["cluster"]["server"]) == 1
assert int(os.environ["DMLC_NUM_WORKER"]) == len(config["cluster"]["worker"]) == 2
scheduler = config["cluster"]["scheduler"][0]
assert os.environ["DMLC_PS_ROOT_URI"] == scheduler["url"], scheduler
assert int(os.environ["DMLC_PS_ROOT_PORT"]) == scheduler["port"], scheduler
if role == "worker":
    assert int(os.environ["DMLC_WORKER_ID"]) == config["task"]["index"]
print(f"{role}-{config['task']['index']}: MX_CONFIG and DMLC ok")
sys.exit(0)
