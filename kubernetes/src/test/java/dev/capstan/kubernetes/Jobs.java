package dev.capstan.kubernetes;

/** TrainingJob manifests for the tests, written as a user would write them. */
public final class Jobs {
  private Jobs() {}

  public static String pytorch(String ns, String name, int workers, String runPolicy, String restartPolicy) {
    return """
        apiVersion: capstan.dev/v1alpha1
        kind: TrainingJob
        metadata:
          name: %s
          namespace: %s
        spec:
          framework: pytorch
          runPolicy: %s
          replicas:
            Master:
              replicas: 1
              restartPolicy: %s
              template:
                spec:
                  containers:
                  - name: pytorch
                    image: ghcr.io/example/ddp:1
                    command: [torchrun, train.py]
                    resources: {requests: {cpu: 500m, memory: 256Mi}}
            Worker:
              replicas: %d
              restartPolicy: %s
              template:
                spec:
                  containers:
                  - name: pytorch
                    image: ghcr.io/example/ddp:1
                    command: [torchrun, train.py]
                    env: [{name: EPOCHS, value: "3"}]
                    resources: {requests: {cpu: 500m, memory: 256Mi}}
        """.formatted(name, ns, runPolicy, restartPolicy, workers, restartPolicy);
  }

  public static String pytorch(String ns, String name, int workers) {
    return pytorch(ns, name, workers, "{}", "OnFailure");
  }

  public static String tensorflow(String ns, String name) {
    return """
        apiVersion: capstan.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: %s, namespace: %s}
        spec:
          framework: tensorflow
          replicas:
            Chief:
              replicas: 1
              template: {spec: {containers: [{name: tensorflow, image: tf:2}]}}
            PS:
              replicas: 1
              template: {spec: {containers: [{name: tensorflow, image: tf:2}]}}
            Worker:
              replicas: 2
              template: {spec: {containers: [{name: tensorflow, image: tf:2}]}}
        """.formatted(name, ns);
  }

  public static String mxnet(String ns, String name) {
    return """
        apiVersion: capstan.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: %s, namespace: %s}
        spec:
          framework: mxnet
          replicas:
            Scheduler:
              replicas: 1
              template: {spec: {containers: [{name: mxnet, image: mx:1}]}}
            Server:
              replicas: 1
              template: {spec: {containers: [{name: mxnet, image: mx:1}]}}
            Worker:
              replicas: 2
              template: {spec: {containers: [{name: mxnet, image: mx:1}]}}
        """.formatted(name, ns);
  }

  /**
   * {@link #pytorch(String, String, int)} asking for GPUs: a master with {@code masterGpus} and
   * {@code workers} workers with {@code workerGpus} each, 2 CPUs and 8Gi apiece.
   */
  public static String pytorchGpus(String ns, String name, int masterGpus, int workers, int workerGpus) {
    String cpuOnly = "resources: {requests: {cpu: 500m, memory: 256Mi}}";
    return pytorch(ns, name, workers)
        .replaceFirst(java.util.regex.Pattern.quote(cpuOnly), gpus(masterGpus))
        .replaceFirst(java.util.regex.Pattern.quote(cpuOnly), gpus(workerGpus));
  }

  private static String gpus(int n) {
    return "resources: {requests: {cpu: \"2\", memory: 8Gi, nvidia.com/gpu: \"" + n + "\"}, limits: {nvidia.com/gpu: \"" + n + "\"}}";
  }
}
