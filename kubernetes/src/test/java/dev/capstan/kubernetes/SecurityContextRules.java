package dev.capstan.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The rules on a pod's security fields and volumes that make the API server reject it on create
 * (apimachinery's {@code ValidateSecurityContext}, {@code validateSeccompAnnotationsAndFields},
 * the Windows checks and volume validation), plus the one check the kubelet makes before it
 * starts a container: {@code runAsNonRoot} with uid 0 never runs.
 */
final class SecurityContextRules {
  private static final String SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod";
  private static final String SECCOMP_CONTAINER = "container.seccomp.security.alpha.kubernetes.io/";

  private SecurityContextRules() {}

  static List<String> violations(String what, Map<String, String> annotations, PodSpec spec) {
    List<String> out = new ArrayList<>();
    Map<String, String> notes = annotations == null ? Map.of() : annotations;
    PodSecurityContext pod = spec.getSecurityContext();
    boolean windows = spec.getOs() != null && "windows".equals(spec.getOs().getName());
    if (pod != null) {
      seccompMatches(out, what + " pod", notes.get(SECCOMP_POD), pod.getSeccompProfile());
      if (windows && (pod.getSeLinuxOptions() != null || pod.getSeccompProfile() != null || pod.getAppArmorProfile() != null
          || pod.getFsGroup() != null || pod.getRunAsUser() != null || pod.getRunAsGroup() != null
          || pod.getSupplementalGroups() != null && !pod.getSupplementalGroups().isEmpty()
          || pod.getSysctls() != null && !pod.getSysctls().isEmpty())) {
        out.add(what + ": a Windows pod sets a Linux-only pod securityContext field");
      }
    }
    Set<String> volumes = volumeNames(out, what, spec.getVolumes());
    for (Container c : containers(spec)) {
      String who = what + " container " + c.getName();
      mounts(out, who, c.getVolumeMounts(), volumes);
      SecurityContext sc = c.getSecurityContext();
      if (sc == null) {
        runsAsRoot(out, who, null, pod);
        continue;
      }
      if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        if (Boolean.TRUE.equals(sc.getPrivileged())) {
          out.add(who + ": cannot set `allowPrivilegeEscalation` to false and `privileged` to true");
        }
        if (sc.getCapabilities() != null && sc.getCapabilities().getAdd() != null
            && sc.getCapabilities().getAdd().contains("CAP_SYS_ADMIN")) {
          out.add(who + ": cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN");
        }
      }
      if ("Unmasked".equals(sc.getProcMount()) && !Boolean.FALSE.equals(spec.getHostUsers())) {
        out.add(who + ": `hostUsers` must be false to use `Unmasked`");
      }
      seccompMatches(out, who, notes.get(SECCOMP_CONTAINER + c.getName()), sc.getSeccompProfile());
      if (windows && (sc.getSeLinuxOptions() != null || sc.getSeccompProfile() != null || sc.getAppArmorProfile() != null
          || sc.getCapabilities() != null || sc.getReadOnlyRootFilesystem() != null || sc.getPrivileged() != null
          || sc.getAllowPrivilegeEscalation() != null || sc.getProcMount() != null || sc.getRunAsUser() != null
          || sc.getRunAsGroup() != null)) {
        out.add(who + ": a Windows pod's container sets a Linux-only securityContext field");
      }
      runsAsRoot(out, who, sc, pod);
    }
    return out;
  }

  /** The kubelet's check: a container that must be non-root and is given uid 0 is never started. */
  private static void runsAsRoot(List<String> out, String who, SecurityContext sc, PodSecurityContext pod) {
    Boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : pod == null ? null : pod.getRunAsNonRoot();
    Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
    if (Boolean.TRUE.equals(nonRoot) && user != null && user == 0) {
      out.add(who + ": the kubelet refuses it (runAsNonRoot with runAsUser 0)");
    }
  }

  private static void seccompMatches(List<String> out, String who, String annotation, SeccompProfile field) {
    if (annotation == null || field == null) {
      return;
    }
    String expected = switch (field.getType()) {
      case "RuntimeDefault" -> "runtime/default";
      case "Unconfined" -> "unconfined";
      case "Localhost" -> "localhost/" + field.getLocalhostProfile();
      default -> field.getType();
    };
    boolean same = annotation.equals(expected) || "RuntimeDefault".equals(field.getType()) && annotation.equals("docker/default");
    if (!same) {
      out.add(who + ": seccomp type in annotation (" + annotation + ") and field (" + field.getType() + ") must match");
    }
  }

  private static Set<String> volumeNames(List<String> out, String what, List<Volume> volumes) {
    Set<String> names = new HashSet<>();
    for (Volume v : volumes == null ? List.<Volume>of() : volumes) {
      if (!names.add(v.getName())) {
        out.add(what + ": volume name " + v.getName() + " is not unique");
      }
    }
    return names;
  }

  private static void mounts(List<String> out, String who, List<VolumeMount> mounts, Set<String> volumes) {
    Set<String> paths = new HashSet<>();
    for (VolumeMount m : mounts == null ? List.<VolumeMount>of() : mounts) {
      if (!volumes.contains(m.getName())) {
        out.add(who + ": volume mount " + m.getName() + " names no volume");
      }
      if (!paths.add(m.getMountPath())) {
        out.add(who + ": mountPath " + m.getMountPath() + " must be unique");
      }
    }
  }

  private static List<Container> containers(PodSpec spec) {
    return Stream.concat(spec.getInitContainers() == null ? Stream.<Container>empty() : spec.getInitContainers().stream(),
        spec.getContainers().stream()).toList();
  }
}
