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
import java.util.stream.Stream;

/**
 * Fills in what Pod Security Standards "restricted" asks of a pod, field by field, only where the
 * user's template leaves the field unset: a value the template sets explicitly is kept as it is.
 *
 * <p>The root filesystem is read-only by default; {@code /tmp} gets an emptyDir so that training
 * code that writes scratch files still works. A template that needs a writable root sets
 * {@code readOnlyRootFilesystem: false}.
 */
public final class RestrictedDefaults {
  /** The user a container runs as when neither the template nor the image decides (non-root). */
  public static final long DEFAULT_USER = 1000;
  static final String TMP_VOLUME = "capstan-tmp";

  private RestrictedDefaults() {}

  public static void apply(PodSpec spec) {
    PodSecurityContext pod = spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
    if (pod.getRunAsNonRoot() == null) {
      pod.setRunAsNonRoot(true);
    }
    if (pod.getRunAsUser() == null && Boolean.TRUE.equals(pod.getRunAsNonRoot())) {
      pod.setRunAsUser(DEFAULT_USER);
    }
    if (pod.getSeccompProfile() == null) {
      pod.setSeccompProfile(new SeccompProfile(null, "RuntimeDefault"));
    }
    spec.setSecurityContext(pod);
    boolean needsTmp = false;
    for (Container c : containers(spec)) {
      needsTmp |= container(c);
    }
    if (needsTmp && volumes(spec).stream().noneMatch(v -> v.getName().equals(TMP_VOLUME))) {
      List<Volume> volumes = new ArrayList<>(volumes(spec));
      volumes.add(new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build());
      spec.setVolumes(volumes);
    }
  }

  /** Returns whether the container got a read-only root and needs the /tmp scratch volume. */
  private static boolean container(Container c) {
    SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
    if (sc.getAllowPrivilegeEscalation() == null) {
      sc.setAllowPrivilegeEscalation(false);
    }
    if (sc.getCapabilities() == null) {
      sc.setCapabilities(new Capabilities(null, List.of("ALL")));
    } else if (sc.getCapabilities().getDrop() == null || sc.getCapabilities().getDrop().isEmpty()) {
      sc.getCapabilities().setDrop(List.of("ALL"));
    }
    boolean setReadOnly = sc.getReadOnlyRootFilesystem() == null;
    if (setReadOnly) {
      sc.setReadOnlyRootFilesystem(true);
    }
    c.setSecurityContext(sc);
    List<VolumeMount> mounts = c.getVolumeMounts() == null ? new ArrayList<>() : new ArrayList<>(c.getVolumeMounts());
    boolean needsTmp = Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())
        && mounts.stream().noneMatch(m -> "/tmp".equals(m.getMountPath()));
    if (needsTmp) {
      mounts.add(new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build());
      c.setVolumeMounts(mounts);
    }
    return needsTmp;
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
