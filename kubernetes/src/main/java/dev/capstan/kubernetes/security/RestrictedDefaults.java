package dev.capstan.kubernetes.security;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Fills in what Pod Security Standards "restricted" asks of a pod, field by field, only where the
 * user's template leaves the field unset: a value the template sets explicitly is kept as it is,
 * and no default is added that would contradict one (the API server or the kubelet would refuse
 * the pod):
 *
 * <ul>
 *   <li>a container that is privileged or adds {@code SYS_ADMIN} (or {@code ALL}) gets no
 *       {@code allowPrivilegeEscalation: false}; a privileged one no {@code drop: [ALL]} either
 *       (the runtime grants it every capability regardless);</li>
 *   <li>a template that asks for root ({@code runAsUser: 0}, or {@code runAsNonRoot: false}) is
 *       not made non-root: the pod gets {@code runAsNonRoot: true} only where nothing asks for
 *       root, and a container that runs as uid 0 gets {@code runAsNonRoot: false} beside it;</li>
 *   <li>a template that names its seccomp profile through the legacy pod annotation gets no
 *       {@code seccompProfile} field (the API server rejects a field that disagrees with it);</li>
 *   <li>a Windows pod ({@code os.name: windows}) gets only {@code runAsNonRoot}: the API server
 *       forbids the Linux fields there.</li>
 * </ul>
 *
 * <p>Nothing beyond what "restricted" requires is added, so that common framework images keep
 * working: no fixed user (the standard asks for {@code runAsNonRoot: true}, not for a uid; an image
 * whose USER is a non-root uid runs as it is, one that runs as root is refused by the kubelet with
 * its own message, and its namespace then uses {@link PodSecurityLevel#BASELINE}), and no
 * read-only root filesystem (images write to their working directory). A container whose template
 * asks for {@code readOnlyRootFilesystem: true} gets an emptyDir at {@code /tmp} unless it mounts
 * something there, so that scratch files still work.
 */
public final class RestrictedDefaults {
  /** The legacy pod-level seccomp annotation, still checked against the field by the API server. */
  public static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
  static final String TMP_VOLUME = "capstan-tmp";

  private RestrictedDefaults() {}

  /** Fills in {@code spec} in place; {@code annotations} are the pod's (may be null). */
  public static void apply(PodSpec spec, Map<String, String> annotations) {
    PodSecurityContext pod = spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
    spec.setSecurityContext(pod);
    List<Container> containers = containers(spec);
    boolean nonRootByDefault = pod.getRunAsNonRoot() == null && !isRoot(pod.getRunAsUser());
    if (nonRootByDefault) {
      pod.setRunAsNonRoot(true);
    }
    if (PodSecurityLevel.isWindows(spec)) {
      return;
    }
    PodSecurityLevel.runtimeDefaultSeccomp(spec, annotations);
    boolean needsTmp = false;
    for (Container c : containers) {
      SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
      c.setSecurityContext(sc);
      if (nonRootByDefault && sc.getRunAsNonRoot() == null && isRoot(sc.getRunAsUser())) {
        sc.setRunAsNonRoot(false);
      }
      privileges(sc);
      needsTmp |= tmpForReadOnlyRoot(c, sc);
    }
    if (needsTmp && volumes(spec).stream().noneMatch(v -> v.getName().equals(TMP_VOLUME))) {
      List<Volume> volumes = new ArrayList<>(volumes(spec));
      volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
      spec.setVolumes(volumes);
    }
  }

  private static void privileges(SecurityContext sc) {
    boolean privileged = Boolean.TRUE.equals(sc.getPrivileged());
    if (sc.getAllowPrivilegeEscalation() == null && !privileged && !addsSysAdmin(sc.getCapabilities())) {
      sc.setAllowPrivilegeEscalation(false);
    }
    if (privileged) {
      return;
    }
    if (sc.getCapabilities() == null) {
      sc.setCapabilities(new Capabilities(null, List.of("ALL")));
    } else if (sc.getCapabilities().getDrop() == null || sc.getCapabilities().getDrop().isEmpty()) {
      sc.getCapabilities().setDrop(List.of("ALL"));
    }
  }

  /** Returns whether the container asks for a read-only root and needs the /tmp scratch volume. */
  private static boolean tmpForReadOnlyRoot(Container c, SecurityContext sc) {
    List<VolumeMount> mounts = c.getVolumeMounts() == null ? new ArrayList<>() : new ArrayList<>(c.getVolumeMounts());
    boolean needsTmp = Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())
        && mounts.stream().noneMatch(m -> m.getMountPath() != null && m.getMountPath().replaceAll("/+$", "").equals("/tmp"));
    if (needsTmp) {
      mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
      c.setVolumeMounts(mounts);
    }
    return needsTmp;
  }

  /** SYS_ADMIN (with or without the CAP_ prefix, any case) or ALL: escalation cannot be off. */
  static boolean addsSysAdmin(Capabilities caps) {
    if (caps == null || caps.getAdd() == null) {
      return false;
    }
    return caps.getAdd().stream().filter(a -> a != null)
        .map(a -> a.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", ""))
        .anyMatch(a -> a.equals("SYS_ADMIN") || a.equals("ALL"));
  }

  private static boolean isRoot(Long uid) {
    return uid != null && uid == 0;
  }

  private static List<Container> containers(PodSpec spec) {
    return Stream.concat(
        spec.getInitContainers() == null ? Stream.<Container>empty() : spec.getInitContainers().stream(),
        spec.getContainers() == null ? Stream.<Container>empty() : spec.getContainers().stream()).toList();
  }

  private static List<Volume> volumes(PodSpec spec) {
    return spec.getVolumes() == null ? List.of() : spec.getVolumes();
  }
}
