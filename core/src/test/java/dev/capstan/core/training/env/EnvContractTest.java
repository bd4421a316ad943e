package dev.capstan.core.training.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The environment each replica gets, checked against CONTRACTS.md. Config JSON (TF_CONFIG,
 * MX_CONFIG) is compared as parsed trees, so key order and spacing do not matter.
 */
class EnvContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void pytorch() {
    TrainingJobModel job = TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 2).model();
    ClusterAddressing at = new ClusterAddressing(job);

    assertEquals(Map.of(
        "MASTER_ADDR", "ddp-master-0", "MASTER_PORT", "23456",
        "PET_MASTER_ADDR", "ddp-master-0", "PET_MASTER_PORT", "23456",
        "WORLD_SIZE", "3", "RANK", "0", "PET_NODE_RANK", "0", "PET_NNODES", "3",
        "PET_NPROC_PER_NODE", "auto", "PYTHONUNBUFFERED", "1"), contract(job, "master-0", at));
    assertEquals("1", env(job, "worker-0", at).get("RANK"));
    assertEquals("2", env(job, "worker-1", at).get("RANK"));
    assertEquals("2", env(job, "worker-1", at).get("PET_NODE_RANK"));
    assertEquals("ddp-master-0", env(job, "worker-1", at).get("MASTER_ADDR"));
  }

  @Test
  void pytorchWorldSizeCountsProcessesPerNode() {
    TrainingJobModel job = TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 2)
        .spec("nprocPerNode: 4").model();
    Map<String, String> env = env(job, "worker-1", new ClusterAddressing(job));
    assertEquals("12", env.get("WORLD_SIZE"));
    assertEquals("4", env.get("PET_NPROC_PER_NODE"));
    assertEquals("3", env.get("PET_NNODES"));
    assertEquals("2", env.get("RANK"));
  }

  @Test
  void pytorchWithoutNprocPerNodeLetsTorchrunDecide() {
    TrainingJobModel job = TrainingJobs.pytorch("ddp").replicas("worker", 2).model();
    assertEquals("auto", env(job, "worker-0", new ClusterAddressing(job)).get("PET_NPROC_PER_NODE"));
  }

  @Test
  void pytorchWorkersOnlyRankFromWorkerZero() {
    TrainingJobModel job = TrainingJobs.pytorch("ddp").replicas("worker", 3).model();
    ClusterAddressing at = new ClusterAddressing(job);
    assertEquals("ddp-worker-0", env(job, "worker-2", at).get("MASTER_ADDR"));
    assertEquals("0", env(job, "worker-0", at).get("RANK"));
    assertEquals("2", env(job, "worker-2", at).get("RANK"));
  }

  @Test
  void pytorchElastic() {
    TrainingJobModel job = TrainingJobs.pytorch("ddp").replicas("worker", 3).spec("""
        elasticPolicy:
            minReplicas: 1
            maxReplicas: 3
            rdzvId: run-7
            rdzvConf: [{key: timeout, value: "900"}, {key: join_timeout, value: "60"}]
            maxRestarts: 5""").model();
    Map<String, String> env = env(job, "worker-1", new ClusterAddressing(job));
    assertEquals("1:3", env.get("PET_NNODES"));
    assertEquals("ddp-worker-0:23456", env.get("PET_RDZV_ENDPOINT"));
    assertEquals("c10d", env.get("PET_RDZV_BACKEND"));
    assertEquals("run-7", env.get("PET_RDZV_ID"));
    assertEquals("timeout=900,join_timeout=60", env.get("PET_RDZV_CONF"));
    assertEquals("5", env.get("PET_MAX_RESTARTS"));
  }

  @Test
  void pytorchElasticDefaultsAndOverrides() {
    TrainingJobModel plain = TrainingJobs.pytorch("ddp").replicas("worker", 2).spec("elasticPolicy: {}").model();
    Map<String, String> env = env(plain, "worker-0", new ClusterAddressing(plain));
    assertEquals("2:2", env.get("PET_NNODES"));
    assertFalse(env.containsKey("PET_RDZV_ID"));
    assertFalse(env.containsKey("PET_RDZV_CONF"));
    assertFalse(env.containsKey("PET_MAX_RESTARTS"));

    TrainingJobModel custom = TrainingJobs.pytorch("ddp").replicas("worker", 2)
        .spec("elasticPolicy: {rdzvHost: etcd.infra, rdzvPort: 2379, rdzvBackend: etcd-v2}").model();
    Map<String, String> env2 = env(custom, "worker-1", new ClusterAddressing(custom));
    assertEquals("etcd.infra:2379", env2.get("PET_RDZV_ENDPOINT"));
    assertEquals("etcd-v2", env2.get("PET_RDZV_BACKEND"));
  }

  @Test
  void pytorchOnLoopbackUsesTheMastersAllocatedPort() {
    TrainingJobModel job = TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 1).model();
    LoopbackAddressing at = ports(job, 41000);
    Map<String, String> env = env(job, "worker-0", at);
    assertEquals("127.0.0.1", env.get("MASTER_ADDR"));
    assertEquals("41000", env.get("MASTER_PORT"));
    assertEquals("127.0.0.1", env.get("PET_MASTER_ADDR"));
    assertEquals("41000", env.get("PET_MASTER_PORT"));
  }

  @Test
  void tensorflowClusterForm() {
    TrainingJobModel job = TrainingJobs.job("tf", "tensorflow")
        .replicas("chief", 1).replicas("worker", 2).replicas("ps", 1).replicas("evaluator", 1).model();
    ClusterAddressing at = new ClusterAddressing(job);
    String cluster = """
        "cluster": {
          "chief": ["tf-chief-0.team-a.svc:2222"],
          "evaluator": ["tf-evaluator-0.team-a.svc:2222"],
          "worker": ["tf-worker-0.team-a.svc:2222", "tf-worker-1.team-a.svc:2222"],
          "ps": ["tf-ps-0.team-a.svc:2222"]
        }""";
    assertJson("{" + cluster + ", \"task\": {\"type\": \"worker\", \"index\": 1}, \"environment\": \"cloud\"}",
        env(job, "worker-1", at).get("TF_CONFIG"));
    assertJson("{" + cluster + ", \"task\": {\"type\": \"ps\", \"index\": 0}, \"environment\": \"cloud\"}",
        env(job, "ps-0", at).get("TF_CONFIG"));
    assertJson("{" + cluster + ", \"task\": {\"type\": \"evaluator\", \"index\": 0}, \"environment\": \"cloud\"}",
        env(job, "evaluator-0", at).get("TF_CONFIG"));
    assertEquals(Map.of("TF_CONFIG", env(job, "chief-0", at).get("TF_CONFIG"), "PYTHONUNBUFFERED", "1"),
        contract(job, "chief-0", at));
  }

  @Test
  void tensorflowKubeflowKeysGiveLowercaseTypes() {
    TrainingJobModel job = TrainingJobs.job("tf", "tensorflow").replicas("Worker", 1).replicas("PS", 1).model();
    assertJson("""
        {"cluster": {"worker": ["tf-worker-0.team-a.svc:2222"], "ps": ["tf-ps-0.team-a.svc:2222"]},
         "task": {"type": "ps", "index": 0}, "environment": "cloud"}""",
        env(job, "ps-0", new ClusterAddressing(job)).get("TF_CONFIG"));
  }

  @Test
  void tensorflowSingleReplicaHasNoTfConfig() {
    TrainingJobModel job = TrainingJobs.job("tf", "tensorflow").replicas("worker", 1).model();
    assertFalse(env(job, "worker-0", new ClusterAddressing(job)).containsKey("TF_CONFIG"));
  }

  @Test
  void tensorflowLoopbackForm() {
    TrainingJobModel job = TrainingJobs.job("tf", "tensorflow").replicas("worker", 2).replicas("ps", 1).model();
    LoopbackAddressing at = ports(job, 42000);
    assertJson("""
        {"cluster": {"worker": ["127.0.0.1:42000", "127.0.0.1:42001"], "ps": ["127.0.0.1:42002"]},
         "task": {"type": "worker", "index": 0}, "environment": "cloud"}""",
        env(job, "worker-0", at).get("TF_CONFIG"));
  }

  @Test
  void mxnet() {
    TrainingJobModel job = TrainingJobs.job("mx", "mxnet")
        .replicas("scheduler", 1).replicas("server", 1).replicas("worker", 2).model();
    ClusterAddressing at = new ClusterAddressing(job);
    String cluster = """
        "cluster": {
          "scheduler": [{"url": "mx-scheduler-0", "port": 9091}],
          "server": [{"url": "mx-server-0", "port": 9091}],
          "worker": [{"url": "mx-worker-0", "port": 9091}, {"url": "mx-worker-1", "port": 9091}]
        },
        "labels": {"scheduler": "", "server": "", "worker": ""}""";

    Map<String, String> worker = contract(job, "worker-1", at);
    assertJson("{" + cluster + ", \"task\": {\"type\": \"worker\", \"index\": 1}}", worker.remove("MX_CONFIG"));
    assertEquals(Map.of(
        "DMLC_PS_ROOT_URI", "mx-scheduler-0", "DMLC_PS_ROOT_PORT", "9091",
        "DMLC_NUM_SERVER", "1", "DMLC_NUM_WORKER", "2",
        "DMLC_ROLE", "worker", "DMLC_USE_KUBERNETES", "1", "DMLC_WORKER_ID", "1",
        "PYTHONUNBUFFERED", "1"), worker);

    Map<String, String> server = contract(job, "server-0", at);
    assertJson("{" + cluster + ", \"task\": {\"type\": \"server\", \"index\": 0}}", server.get("MX_CONFIG"));
    assertEquals("server", server.get("DMLC_ROLE"));
    assertFalse(server.containsKey("DMLC_WORKER_ID"));
    assertEquals("scheduler", env(job, "scheduler-0", at).get("DMLC_ROLE"));
  }

  @Test
  void mxnetLoopbackPointsAtTheSchedulersPort() {
    TrainingJobModel job = TrainingJobs.job("mx", "mxnet")
        .replicas("scheduler", 1).replicas("server", 1).replicas("worker", 1).model();
    LoopbackAddressing at = ports(job, 43000);
    Map<String, String> env = env(job, "worker-0", at);
    assertEquals("127.0.0.1", env.get("DMLC_PS_ROOT_URI"));
    assertEquals("43000", env.get("DMLC_PS_ROOT_PORT"));
    assertJson("""
        {"cluster": {"scheduler": [{"url": "127.0.0.1", "port": 43000}],
                     "server": [{"url": "127.0.0.1", "port": 43001}],
                     "worker": [{"url": "127.0.0.1", "port": 43002}]},
         "labels": {"scheduler": "", "server": "", "worker": ""},
         "task": {"type": "worker", "index": 0}}""", env.get("MX_CONFIG"));
  }

  @Test
  void jax() {
    TrainingJobModel job = TrainingJobs.job("jx", "jax").replicas("worker", 3).model();
    ClusterAddressing at = new ClusterAddressing(job);
    assertEquals(Map.of(
        "COORDINATOR_ADDRESS", "jx-worker-0", "COORDINATOR_PORT", "6666",
        "NUM_PROCESSES", "3", "PROCESS_ID", "2", "PYTHONUNBUFFERED", "1"), contract(job, "worker-2", at));
    assertEquals("0", env(job, "worker-0", at).get("PROCESS_ID"));
  }

  @Test
  void xgboost() {
    TrainingJobModel job = TrainingJobs.job("xg", "xgboost").replicas("master", 1).replicas("worker", 2).model();
    ClusterAddressing at = new ClusterAddressing(job);
    assertEquals(Map.of(
        "MASTER_ADDR", "xg-master-0", "MASTER_PORT", "9999", "WORLD_SIZE", "3", "RANK", "0",
        "WORKER_PORT", "9999", "WORKER_ADDRS", "xg-worker-0,xg-worker-1", "PYTHONUNBUFFERED", "1"),
        contract(job, "master-0", at));
    assertEquals("2", env(job, "worker-1", at).get("RANK"));

    LoopbackAddressing local = ports(job, 44000);
    assertEquals("44001", env(job, "worker-1", local).get("WORKER_PORT"));
    assertEquals("44000", env(job, "worker-1", local).get("MASTER_PORT"));
  }

  /**
   * LightGBM's example (examples/xgboost/lightgbm-dist/utils.py) lists MASTER_ADDR:MASTER_PORT, then
   * every WORKER_ADDRS entry with the one WORKER_PORT. On one machine that list must name each
   * replica once: every replica sees the same list, and its own entry is where it listens.
   */
  @Test
  void xgboostMachineListNamesEveryReplicaOnOneMachine() {
    TrainingJobModel job = TrainingJobs.job("xg", "xgboost").replicas("master", 1).replicas("worker", 3).model();
    Map<ReplicaId, Integer> allocated = new LinkedHashMap<>();
    int port = 45000;
    for (ReplicaId id : job.replicas()) {
      allocated.put(id, port++);
    }
    LoopbackAddressing at = LoopbackAddressing.addressPerReplica(allocated, job.replicas());
    java.util.List<String> expected = null;
    for (ReplicaId id : job.replicas()) {
      Map<String, String> env = env(job, id.shortName(), at);
      java.util.List<String> machines = new java.util.ArrayList<>();
      machines.add(env.get("MASTER_ADDR") + ":" + env.get("MASTER_PORT"));
      for (String addr : env.get("WORKER_ADDRS").split(",")) {
        machines.add(addr + ":" + env.get("WORKER_PORT"));
      }
      assertEquals(machines.size(), new java.util.HashSet<>(machines).size(), "distinct endpoints: " + machines);
      if (expected == null) {
        expected = machines;
      }
      assertEquals(expected, machines, "every replica builds the same list");
      int rank = Integer.parseInt(env.get("RANK"));
      assertEquals(at.host(id), machines.get(rank).substring(0, machines.get(rank).indexOf(':')),
          id.shortName() + " finds its own address at its rank");
    }
    assertEquals(java.util.List.of("127.0.0.1:45000", "127.0.0.2:45001", "127.0.0.3:45001", "127.0.0.4:45001"), expected);
  }

  @Test
  void capstanVariablesBesideTheContract() {
    TrainingJobModel job = TrainingJobs.pytorch("ddp").replicas("worker", 2).model();
    Map<String, String> env = EnvContract.forReplica(job, new ReplicaId("worker", 1), new ClusterAddressing(job), 3);
    assertEquals("ddp", env.get("CAPSTAN_JOB_NAME"));
    assertEquals("team-a", env.get("CAPSTAN_JOB_NAMESPACE"));
    assertEquals("worker", env.get("CAPSTAN_REPLICA_ROLE"));
    assertEquals("1", env.get("CAPSTAN_REPLICA_INDEX"));
    assertEquals("3", env.get("CAPSTAN_ATTEMPT"));
  }

  @Test
  void loopbackWithoutAPortIsAnError() {
    LoopbackAddressing at = new LoopbackAddressing(Map.of());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> at.port(new ReplicaId("worker", 0)));
    assertEquals("no port allocated for replica worker-0", e.getMessage());
  }

  /** Every variable the replica gets. */
  private static Map<String, String> env(TrainingJobModel job, String replica, ReplicaAddressing at) {
    return EnvContract.forReplica(job, ReplicaId.parseShort(replica), at, 0);
  }

  /** The variables of CONTRACTS.md, without Capstan's own {@code CAPSTAN_*}. */
  private static Map<String, String> contract(TrainingJobModel job, String replica, ReplicaAddressing at) {
    Map<String, String> out = new TreeMap<>(env(job, replica, at));
    out.keySet().removeIf(k -> k.startsWith("CAPSTAN_"));
    return out;
  }

  /** Ports from {@code base} in rank order, as a local backend would allocate them. */
  private static LoopbackAddressing ports(TrainingJobModel job, int base) {
    Map<ReplicaId, Integer> ports = new LinkedHashMap<>();
    job.replicas().forEach(id -> ports.put(id, base + ports.size()));
    return new LoopbackAddressing(ports);
  }

  private static void assertJson(String expected, String actual) {
    try {
      JsonNode want = JSON.readTree(expected);
      JsonNode got = JSON.readTree(actual);
      assertEquals(want, got, () -> "expected " + want.toPrettyString() + "\nbut was " + got.toPrettyString());
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + actual, e);
    }
  }
}
