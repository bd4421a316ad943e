package dev.capstan.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.validation.Errors;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.Iterator;
import java.util.List;

/**
 * The pod spec fields a replica process cannot honour, refused with their field path: host
 * namespaces, volumes and mounts, containers other than the main one, host ports and
 * {@code envFrom}. One exception is let through: an emptyDir the main container mounts at
 * {@code /dev/shm} (the usual way to give PyTorch data loaders shared memory), which the host's
 * own {@code /dev/shm} serves.
 */
final class LocalPodFields {
  static final String SHARED_MEMORY = "/dev/shm";
  private static final String PLAIN_PROCESS = "a replica is a plain process of this machine with the rights of the server's user";

  private LocalPodFields() {}

  /** {@code path} is the template's spec, e.g. {@code spec.replicas.worker.template.spec}. */
  static void check(String path, PodSpec spec, int main, Errors errors) {
    hostNamespace(errors, path + ".hostNetwork", spec.getHostNetwork());
    hostNamespace(errors, path + ".hostPID", spec.getHostPID());
    hostNamespace(errors, path + ".hostIPC", spec.getHostIPC());
    Container mainContainer = spec.getContainers().get(main);
    String notRun = "not run in local mode: a replica runs only its main container ('" + mainContainer.getName() + "') as a process";
    List<Container> initContainers = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    for (int i = 0; i < initContainers.size(); i++) {
      errors.add(path + ".initContainers[" + i + "]", notRun);
    }
    List<?> ephemeral = spec.getEphemeralContainers() == null ? List.of() : spec.getEphemeralContainers();
    for (int i = 0; i < ephemeral.size(); i++) {
      errors.add(path + ".ephemeralContainers[" + i + "]", notRun);
    }
    for (int i = 0; i < spec.getContainers().size(); i++) {
      if (i != main) {
        errors.add(path + ".containers[" + i + "]", notRun);
      }
    }
    volumes(path, spec, mainContainer, errors);
    String container = path + ".containers[" + main + "]";
    mounts(container, spec, mainContainer, errors);
    List<ContainerPort> ports = mainContainer.getPorts() == null ? List.of() : mainContainer.getPorts();
    for (int i = 0; i < ports.size(); i++) {
      Integer hostPort = ports.get(i).getHostPort();
      if (hostPort != null && hostPort != 0) {
        errors.add(container + ".ports[" + i + "].hostPort",
            "not supported in local mode: ports are not mapped; " + PLAIN_PROCESS + " and binds ports on it directly");
      }
    }
    int envFrom = mainContainer.getEnvFrom() == null ? 0 : mainContainer.getEnvFrom().size();
    for (int i = 0; i < envFrom; i++) {
      errors.add(container + ".envFrom[" + i + "]", "not supported in local mode; give literal values in env");
    }
  }

  private static void hostNamespace(Errors errors, String path, Boolean asked) {
    if (Boolean.TRUE.equals(asked)) {
      errors.add(path, "local mode grants no host namespaces: " + PLAIN_PROCESS);
    }
  }

  private static void volumes(String path, PodSpec spec, Container main, Errors errors) {
    List<Volume> volumes = spec.getVolumes() == null ? List.of() : spec.getVolumes();
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      if (!isSharedMemory(v, main)) {
        String kind = kind(v);
        errors.add(path + ".volumes[" + i + "]" + (kind == null ? "" : "." + kind),
            "volumes are not supported in local mode: " + PLAIN_PROCESS + " and no mounts; use host paths directly"
                + " (an emptyDir mounted at " + SHARED_MEMORY + " is the one exception)");
      }
    }
  }

  private static void mounts(String container, PodSpec spec, Container main, Errors errors) {
    List<VolumeMount> mounts = main.getVolumeMounts() == null ? List.of() : main.getVolumeMounts();
    for (int i = 0; i < mounts.size(); i++) {
      VolumeMount m = mounts.get(i);
      boolean sharedMemory = SHARED_MEMORY.equals(stripSlashes(m.getMountPath())) && spec.getVolumes() != null
          && spec.getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName()) && isSharedMemory(v, main));
      if (!sharedMemory) {
        errors.add(container + ".volumeMounts[" + i + "]",
            "not supported in local mode: " + PLAIN_PROCESS + " and no mounts; use host paths directly");
      }
    }
    int devices = main.getVolumeDevices() == null ? 0 : main.getVolumeDevices().size();
    for (int i = 0; i < devices; i++) {
      errors.add(container + ".volumeDevices[" + i + "]", "not supported in local mode: " + PLAIN_PROCESS);
    }
  }

  /** An emptyDir that the main container mounts at /dev/shm and nowhere else. */
  private static boolean isSharedMemory(Volume v, Container main) {
    List<VolumeMount> mounts = main.getVolumeMounts() == null ? List.of()
        : main.getVolumeMounts().stream().filter(m -> v.getName().equals(m.getName())).toList();
    return v.getEmptyDir() != null && !mounts.isEmpty()
        && mounts.stream().allMatch(m -> SHARED_MEMORY.equals(stripSlashes(m.getMountPath())));
  }

  /** The volume's source field (hostPath, emptyDir, persistentVolumeClaim…). */
  private static String kind(Volume v) {
    JsonNode tree = Manifests.json().valueToTree(v);
    for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("name") && !tree.get(name).isNull()) {
        return name;
      }
    }
    return null;
  }

  private static String stripSlashes(String path) {
    return path == null ? null : path.replaceAll("/+$", "");
  }
}
