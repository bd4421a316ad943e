"""Checks the TF_CONFIG contract a tf.distribute job reads, without TensorFlow itself."""
import json
import os
import sys

config = json.loads(os.environ["TF_CONFIG"])
task = config["task"]
cluster = config["cluster"]
assert config["environment"] == "cloud", config
assert task["type"] in cluster or task["type"] == "evaluator", config
assert len(cluster["ps"]) == 1 and len(cluster["worker"]) == 2, cluster
assert task["type"] == os.environ["CAPSTAN_REPLICA_ROLE"], task
assert task["index"] == int(os.environ["CAPSTAN_REPLICA_INDEX"]), task
for addresses in cluster.values():
    for address in addresses:
        host, port = address.rsplit(":", 1)
        assert host and 0 < int(port) < 65536, address
print(f"{task['type']}-{task['index']}: TF_CONFIG ok ({sum(len(a) for a in cluster.values())} tasks)")
sys.exit(0)
