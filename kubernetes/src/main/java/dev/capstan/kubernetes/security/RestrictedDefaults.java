package dev.capstan.kubernetes.security;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
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
 * <p>The root filesystem is read-only by default; {@code /tmp} gets an emptyDir so that training
 * code that writes scratch files still works. A template that needs a writable root sets
 * {@code readOnlyRootFilesystem: false}.
 */
public final class RestrictedDefaults {
  /** The user a container runs as when neither the template nor the image decides (non-root). */
  public static final long DEFAULT_USER = 1000;
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
    if (spec.getOs() != null && "windows".equalsIgnoreCase(spec.getOs().getName())) {
      return;
    }
    boolean aContainerAsksForRoot = containers.stream().map(Container::getSecurityContext)
        .anyMatch(sc -> sc != null && (isRoot(sc.getRunAsUser()) || Boolean.FALSE.equals(sc.getRunAsNonRoot())));
    if (pod.getRunAsUser() == null && Boolean.TRUE.equals(pod.getRunAsNonRoot()) && !aContainerAsksForRoot) {
      pod.setRunAsUser(DEFAULT_USER);
    }
    if (pod.getSeccompProfile() == null && (annotations == null || !annotations.containsKey(SECCOMP_POD_ANNOTATION))) {
      pod.setSeccompProfile(new SeccompProfile(null, "RuntimeDefault"));
    }
    boolean needsTmp = false;
    for (Container c : containers) {
      SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
      c.setSecurityContext(sc);
      user(sc, pod, nonRootByDefault);
      privileges(sc);
      needsTmp |= readOnlyRoot(c, sc);
    }
    if (needsTmp && volumes(spec).stream().noneMatch(v -> v.getName().equals(TMP_VOLUME))) {
      List<Volume> volumes = new ArrayList<>(volumes(spec));
      volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
      spec.setVolumes(volumes);
    }
  }

  /**
   * A container that asks for uid 0 under a pod made non-root by default is let run as root; one
   * left without a user while it must be non-root gets {@link #DEFAULT_USER}.
   */
  private static void user(SecurityContext sc, PodSecurityContext pod, boolean nonRootByDefault) {
    if (nonRootByDefault && sc.getRunAsNonRoot() == null && isRoot(sc.getRunAsUser())) {
      sc.setRunAsNonRoot(false);
    }
    boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : Boolean.TRUE.equals(pod.getRunAsNonRoot());
    if (nonRoot && sc.getRunAsUser() == null && pod.getRunAsUser() == null) {
      sc.setRunAsUser(DEFAULT_USER);
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

  /** Returns whether the container got a read-only root and needs the /tmp scratch volume. */
  private static boolean readOnlyRoot(Container c, SecurityContext sc) {
    if (sc.getReadOnlyRootFilesystem() == null) {
      sc.setReadOnlyRootFilesystem(true);
    }
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
