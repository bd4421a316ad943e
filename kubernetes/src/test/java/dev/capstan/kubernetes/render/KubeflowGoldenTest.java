package dev.capstan.kubernetes.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * TrainingJobs of the shapes of the training operator's examples, rendered for a cluster and
 * compared with what that operator's own code would create. Each expectation names the Go function
 * (tag v1.9.0, MXNet v1.7.0) it was derived from, by reading that function for the manifest's
 * input. Capstan's own additions ({@code CAPSTAN_*} variables, {@code capstan.dev/*} and
 * {@code app.kubernetes.io/managed-by} labels) are left out of the comparison; docs/training.md
 * lists them.
 */
class KubeflowGoldenTest {

  /** examples/pytorch/simple.yaml: a master and workers, here with a declared port 23457. */
  @Test
  void pytorchMasterAndWorkers() {
    List<HasMetadata> objects = render("""
        metadata: {name: simple, namespace: kubeflow}
        spec:
          framework: pytorch
          replicas:
            Master:
              replicas: 1
              template:
                spec:
                  containers:
                  - {name: pytorch, image: "kubeflow/pytorch-dist-mnist:latest", ports: [{name: pytorchjob-port, containerPort: 23457}]}
            Worker:
              replicas: 2
              template:
                spec:
                  containers:
                  - {name: pytorch, image: "kubeflow/pytorch-dist-mnist:latest", ports: [{name: pytorchjob-port, containerPort: 23457}]}
                  - {name: sidecar, image: busybox}
        """);
    // envvar.go setPodEnv (every container) + master.go Generate: MASTER_* from the master's
    // pytorchjob-port (getPortFromPyTorchJob); RANK = index + 1 for workers; WORLD_SIZE = 3 × 1
    // (getNprocPerNodeInt of "auto"); PET_NPROC_PER_NODE = "auto" (pytorch_defaults.go
    // setDefaultNprocPerNode); PET_NNODES = total replicas (no elasticPolicy).
    Map<String, String> worker1 = Map.of("PYTHONUNBUFFERED", "1",
        "MASTER_PORT", "23457", "PET_MASTER_PORT", "23457", "MASTER_ADDR", "simple-master-0", "PET_MASTER_ADDR", "simple-master-0",
        "WORLD_SIZE", "3", "RANK", "2", "PET_NODE_RANK", "2", "PET_NPROC_PER_NODE", "auto", "PET_NNODES", "3");
    Pod pod = pod(objects, "simple-worker-1");
    assertEquals(worker1, env(pod.getSpec().getContainers().get(0)));
    assertEquals(worker1, env(pod.getSpec().getContainers().get(1)), "setPodEnv loops over every container");
    // common/pod.go createNewPod + GenLabels; IsMasterRole (pytorchjob_controller.go): the master only.
    assertEquals(Map.of(
        "training.kubeflow.org/operator-name", "pytorchjob-controller", "training.kubeflow.org/job-name", "simple",
        "training.kubeflow.org/replica-type", "worker", "training.kubeflow.org/replica-index", "1"), kubeflowLabels(pod));
    assertEquals("master", pod(objects, "simple-master-0").getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    // initcontainer.go setInitContainer: workers of a job with a master wait for its name (template
    // initContainerTemplate, image alpine:3.10 and 100 tries from pkg/config).
    Container init = pod.getSpec().getInitContainers().get(0);
    assertEquals("init-pytorch", init.getName());
    assertEquals("alpine:3.10", init.getImage());
    assertEquals("IfNotPresent", init.getImagePullPolicy());
    assertEquals(List.of("sh", "-c", "err=1;for i in $(seq 100); do if nslookup simple-master-0; then err=0 && break; fi;"
        + "echo waiting for master; sleep 2; done; exit $err"), init.getCommand());
    assertEquals("100m", init.getResources().getLimits().get("cpu").toString());
    assertEquals("20Mi", init.getResources().getLimits().get("memory").toString());
    assertEquals("50m", init.getResources().getRequests().get("cpu").toString());
    assertEquals("10Mi", init.getResources().getRequests().get("memory").toString());
    assertNull(pod(objects, "simple-master-0").getSpec().getInitContainers().stream()
        .filter(c -> c.getName().equals("init-pytorch")).findFirst().orElse(null));
    // common/service.go CreateNewService: selector = labels = GenLabels + type + index; one port per
    // port of the default-named container (core/service.go GetPortsFromJob), headless.
    Service svc = service(objects, "simple-worker-1");
    assertEquals(Map.of(
        "training.kubeflow.org/operator-name", "pytorchjob-controller", "training.kubeflow.org/job-name", "simple",
        "training.kubeflow.org/replica-type", "worker", "training.kubeflow.org/replica-index", "1"), svc.getSpec().getSelector());
    assertEquals("None", svc.getSpec().getClusterIP());
    assertEquals(Map.of("pytorchjob-port", 23457), ports(svc));
  }

  /** examples/pytorch/elastic/echo/echo.yaml: workers only, elastic, one bound given. */
  @Test
  void pytorchElasticWorkers() {
    List<HasMetadata> objects = render("""
        metadata: {name: elastic-example-echo}
        spec:
          framework: pytorch
          elasticPolicy: {rdzvBackend: c10d, minReplicas: 1, maxRestarts: 100}
          replicas:
            Worker:
              replicas: 2
              restartPolicy: OnFailure
              template:
                spec:
                  containers:
                  - {name: pytorch, image: "kubeflow/pytorch-elastic-example-echo:latest", command: [torchrun, echo.py]}
        """);
    Map<String, String> env = env(pod(objects, "elastic-example-echo-worker-1").getSpec().getContainers().get(0));
    // elastic.go Generate: endpoint <job>-worker-0 and the worker's pytorchjob-port (defaulted to
    // 23456 by setPyTorchDefaultPort); NNODES min:max after setElasticPolicy copied min to max.
    assertEquals("elastic-example-echo-worker-0:23456", env.get("PET_RDZV_ENDPOINT"));
    assertEquals("c10d", env.get("PET_RDZV_BACKEND"));
    assertEquals("1:1", env.get("PET_NNODES"));
    assertEquals("100", env.get("PET_MAX_RESTARTS"));
    assertEquals("auto", env.get("PET_NPROC_PER_NODE"));
    assertEquals("1", env.get("PYTHONUNBUFFERED"));
    // IsMasterRole without a master: worker-0; no init container without a master.
    assertEquals("master", pod(objects, "elastic-example-echo-worker-0").getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    assertEquals(List.of(), pod(objects, "elastic-example-echo-worker-0").getSpec().getInitContainers());
  }

  /** examples/tensorflow/distribution_strategy with an evaluator: chief, ps, workers. */
  @Test
  void tensorflowWithEvaluator() {
    List<HasMetadata> objects = render("""
        metadata: {name: dist, namespace: ml}
        spec:
          framework: tensorflow
          replicas:
            Chief: {replicas: 1, template: {spec: {containers: [{name: tensorflow, image: tf}]}}}
            PS: {replicas: 1, template: {spec: {containers: [{name: tensorflow, image: tf}]}}}
            Worker: {replicas: 2, template: {spec: {containers: [{name: tensorflow, image: tf, ports: [{name: tfjob-port, containerPort: 2223}]}, {name: log, image: busybox}]}}}
            Evaluator: {replicas: 1, template: {spec: {containers: [{name: tensorflow, image: tf}]}}}
        """);
    // tensorflow.go genClusterSpec: every replica type (evaluator included), <name>.<ns>.svc:<port of
    // that type>; json.Marshal sorts map keys; task {type, index}; environment "cloud".
    String tfConfig = "{\"cluster\":{\"chief\":[\"dist-chief-0.ml.svc:2222\"],\"evaluator\":[\"dist-evaluator-0.ml.svc:2222\"],"
        + "\"ps\":[\"dist-ps-0.ml.svc:2222\"],\"worker\":[\"dist-worker-0.ml.svc:2223\",\"dist-worker-1.ml.svc:2223\"]},"
        + "\"task\":{\"type\":\"evaluator\",\"index\":0},\"environment\":\"cloud\"}";
    assertEquals(tfConfig, env(pod(objects, "dist-evaluator-0").getSpec().getContainers().get(0)).get("TF_CONFIG"));
    // tfjob_controller.go SetClusterSpec: TF_CONFIG on the "tensorflow" container only.
    Pod worker = pod(objects, "dist-worker-0");
    assertEquals(null, env(worker.getSpec().getContainers().get(1)).get("TF_CONFIG"));
    // IsMasterRole: the chief when there is one.
    assertEquals("master", pod(objects, "dist-chief-0").getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    assertNull(worker.getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    assertEquals("tfjob-controller", worker.getMetadata().getLabels().get("training.kubeflow.org/operator-name"));
    assertEquals(Map.of("tfjob-port", 2223), ports(service(objects, "dist-worker-1")));
  }

  /** examples/xgboost/xgboost-dist: a master and two workers. */
  @Test
  void xgboostMasterAndWorkers() {
    List<HasMetadata> objects = render(kubeflowShape("xgboost-dist-iris", "xgboost", "xgboost",
        "Master", 1, "Worker", 2));
    // xgboost.go SetPodEnv: RANK = index + master replicas; WORKER_ADDRS = worker-0..worker-(total-2).
    Map<String, String> expected = Map.of("MASTER_PORT", "9999", "MASTER_ADDR", "xgboost-dist-iris-master-0",
        "WORLD_SIZE", "3", "RANK", "2", "PYTHONUNBUFFERED", "1", "WORKER_PORT", "9999",
        "WORKER_ADDRS", "xgboost-dist-iris-worker-0,xgboost-dist-iris-worker-1");
    assertEquals(expected, env(pod(objects, "xgboost-dist-iris-worker-1").getSpec().getContainers().get(0)));
    // IsMasterRole (xgboostjob_controller.go): the master.
    assertEquals("master", pod(objects, "xgboost-dist-iris-master-0").getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    assertNull(pod(objects, "xgboost-dist-iris-worker-0").getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    assertEquals("xgboostjob-controller", service(objects, "xgboost-dist-iris-worker-0").getSpec().getSelector()
        .get("training.kubeflow.org/operator-name"));
  }

  /** examples/jax/cpu-demo: two workers. */
  @Test
  void jaxWorkers() {
    List<HasMetadata> objects = render(kubeflowShape("jaxjob-simple", "jax", "jax", "Worker", 2, null, 0));
    // jax/envvar.go setPodEnv: worker-0 coordinates on the worker's jaxjob-port (defaulted 6666).
    assertEquals(Map.of("PYTHONUNBUFFERED", "1", "COORDINATOR_PORT", "6666", "COORDINATOR_ADDRESS", "jaxjob-simple-worker-0",
        "NUM_PROCESSES", "2", "PROCESS_ID", "1"), env(pod(objects, "jaxjob-simple-worker-1").getSpec().getContainers().get(0)));
    // IsMasterRole (jaxjob_controller.go): index 0.
    assertEquals("master", pod(objects, "jaxjob-simple-worker-0").getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    assertEquals(Map.of("jaxjob-port", 6666), ports(service(objects, "jaxjob-simple-worker-0")));
  }

  /** examples/paddlepaddle/simple-cpu.yaml: two workers, collective, port "master" 37777. */
  @Test
  void paddleCollective() {
    List<HasMetadata> objects = render("""
        metadata: {name: paddle-simple-cpu, namespace: kubeflow}
        spec:
          framework: paddle
          replicas:
            Worker:
              replicas: 2
              restartPolicy: OnFailure
              template:
                spec:
                  containers:
                  - {name: paddle, image: "registry.baidubce.com/paddlepaddle/paddle:2.4.0rc0-cpu", ports: [{name: master, containerPort: 37777}]}
        """);
    // paddlepaddle/envvar.go setPodEnv, no master: worker-0 is the rendezvous; rank 0 names itself
    // $(POD_IP_DUMMY) from status.podIP, the others worker-0's name; port from getPortFromPaddleJob.
    Pod rank0 = pod(objects, "paddle-simple-cpu-worker-0");
    assertEquals(Map.of("PYTHONUNBUFFERED", "1", "PADDLE_JOB_ID", "paddle-simple-cpu", "PADDLE_NNODES", "2",
        "POD_IP_DUMMY", "fieldRef:status.podIP", "PADDLE_MASTER", "$(POD_IP_DUMMY):37777"), env(rank0.getSpec().getContainers().get(0)));
    assertEquals(Map.of("PYTHONUNBUFFERED", "1", "PADDLE_JOB_ID", "paddle-simple-cpu", "PADDLE_NNODES", "2",
        "PADDLE_MASTER", "paddle-simple-cpu-worker-0:37777"),
        env(pod(objects, "paddle-simple-cpu-worker-1").getSpec().getContainers().get(0)));
    List<EnvVar> vars = rank0.getSpec().getContainers().get(0).getEnv();
    assertEquals(true, indexOf(vars, "POD_IP_DUMMY") < indexOf(vars, "PADDLE_MASTER"), "defined before it is referenced");
    // IsMasterRole (paddlepaddle_controller.go): master replicas only, so none here.
    assertNull(rank0.getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    assertEquals("paddlejob-controller", rank0.getMetadata().getLabels().get("training.kubeflow.org/operator-name"));
    assertEquals(Map.of("master", 37777), ports(service(objects, "paddle-simple-cpu-worker-1")));
  }

  /** examples/mxnet/train: scheduler, server, worker (v1.7). */
  @Test
  void mxnetParameterServer() {
    List<HasMetadata> objects = render("""
        metadata: {name: mxnet-job}
        spec:
          framework: mxnet
          replicas:
            Scheduler: {replicas: 1, template: {spec: {containers: [{name: mxnet, image: mx, ports: [{name: mxjob-port, containerPort: 9991}]}]}}}
            Server: {replicas: 1, template: {spec: {containers: [{name: mxnet, image: mx}]}}}
            Worker: {replicas: 1, template: {spec: {containers: [{name: mxnet, image: mx}, {name: side, image: busybox}]}}}
        """);
    // v1.7 mxnet.go SetPodEnv (every container) and genMXConfig: each group's url/port, labels from
    // the tuner-server-key annotation (empty), DMLC_PS_ROOT_* from the scheduler, DMLC_WORKER_ID for workers.
    Pod worker = pod(objects, "mxnet-job-worker-0");
    Map<String, String> env = env(worker.getSpec().getContainers().get(1));
    assertEquals("9991", env.get("DMLC_PS_ROOT_PORT"));
    assertEquals("mxnet-job-scheduler-0", env.get("DMLC_PS_ROOT_URI"));
    assertEquals("1", env.get("DMLC_NUM_SERVER"));
    assertEquals("1", env.get("DMLC_NUM_WORKER"));
    assertEquals("worker", env.get("DMLC_ROLE"));
    assertEquals("1", env.get("DMLC_USE_KUBERNETES"));
    assertEquals("0", env.get("DMLC_WORKER_ID"));
    assertEquals(new TreeMap<>(Map.of(
        "cluster", Map.of("scheduler", List.of(Map.of("url", "mxnet-job-scheduler-0", "port", 9991)),
            "server", List.of(Map.of("url", "mxnet-job-server-0", "port", 9091)),
            "worker", List.of(Map.of("url", "mxnet-job-worker-0", "port", 9091))),
        "labels", Map.of("scheduler", "", "server", "", "worker", ""),
        "task", Map.of("type", "worker", "index", 0))), new TreeMap<>(json(env.get("MX_CONFIG"))));
    // IsMasterRole (v1.7 mxjob_controller.go): the servers.
    assertEquals("master", pod(objects, "mxnet-job-server-0").getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    assertNull(pod(objects, "mxnet-job-scheduler-0").getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    assertEquals("mxjob-controller", worker.getMetadata().getLabels().get("training.kubeflow.org/operator-name"));
  }

  private static String kubeflowShape(String name, String framework, String container, String role1, int n1, String role2, int n2) {
    String group = "      replicas: %d\n      template: {spec: {containers: [{name: " + container + ", image: img}]}}\n";
    return "metadata: {name: " + name + "}\nspec:\n  framework: " + framework + "\n  replicas:\n"
        + "    " + role1 + ":\n" + group.formatted(n1)
        + (role2 == null ? "" : "    " + role2 + ":\n" + group.formatted(n2));
  }

  private static List<HasMetadata> render(String yaml) {
    String text = "apiVersion: capstan.dev/v1alpha1\nkind: TrainingJob\n" + yaml;
    return ClusterRender.objects((TrainingJob) Manifests.toResource(Manifests.parseDocuments(text, "golden.yaml").get(0)));
  }

  private static Pod pod(List<HasMetadata> objects, String name) {
    return (Pod) objects.stream().filter(o -> o instanceof Pod && o.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  private static Service service(List<HasMetadata> objects, String name) {
    return (Service) objects.stream().filter(o -> o instanceof Service && o.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  /** A container's variables, Capstan's own left out; a fieldRef reads {@code fieldRef:<path>}. */
  private static Map<String, String> env(Container c) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvVar v : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (!v.getName().startsWith("CAPSTAN_")) {
        out.put(v.getName(), v.getValueFrom() != null ? "fieldRef:" + v.getValueFrom().getFieldRef().getFieldPath() : v.getValue());
      }
    }
    return out;
  }

  private static Map<String, String> kubeflowLabels(Pod pod) {
    Map<String, String> out = new TreeMap<>();
    pod.getMetadata().getLabels().forEach((k, v) -> {
      if (k.startsWith("training.kubeflow.org/")) {
        out.put(k, v);
      }
    });
    return out;
  }

  private static Map<String, Integer> ports(Service svc) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (ServicePort p : svc.getSpec().getPorts()) {
      out.put(p.getName(), p.getPort());
    }
    return out;
  }

  private static int indexOf(List<EnvVar> vars, String name) {
    for (int i = 0; i < vars.size(); i++) {
      if (vars.get(i).getName().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readValue(text, Map.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
