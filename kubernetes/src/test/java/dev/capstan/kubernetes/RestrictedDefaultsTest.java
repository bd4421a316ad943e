package dev.capstan.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.kubernetes.security.PodSecurityLevel;
import dev.capstan.kubernetes.security.RestrictedDefaults;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodOS;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Property over every combination of the security fields a template can set, at every
 * {@link PodSecurityLevel}: whenever the user's own pod is one the API server and the kubelet
 * accept, the pod with Capstan's defaults filled in is accepted too, keeps every field the user
 * set, and never gains a fixed user or a read-only root the user did not ask for. At
 * {@code restricted} it passes Pod Security Standards "restricted" whenever the user asked for
 * nothing that standard forbids; at {@code baseline} it gains nothing but the seccomp profile; at
 * {@code none} it is the template.
 */
class RestrictedDefaultsTest {
  private static final Boolean[] FLAGS = {null, true, false};
  private static final Long[] USERS = {null, 0L, 2000L};
  /** Capabilities as {add, drop}; null for none at all. */
  private static final List<Capabilities> CAPABILITIES = Arrays.asList(null,
      new Capabilities(List.of("CAP_SYS_ADMIN"), null), new Capabilities(List.of("SYS_ADMIN"), null),
      new Capabilities(List.of("NET_BIND_SERVICE"), null), new Capabilities(List.of("ALL"), null),
      new Capabilities(null, List.of("ALL")), new Capabilities(List.of("SYS_ADMIN"), List.of("ALL")));
  private static final String[] SECCOMP_ANNOTATIONS = {null, "runtime/default", "unconfined"};
  private static final String[] OS = {null, "windows"};

  /** One combination: the user's choices for the main container and the pod. */
  private record Ask(Boolean privileged, Boolean escalation, Capabilities capabilities, Long user,
      Boolean nonRoot, Long podUser, Boolean podNonRoot, String seccompAnnotation, String os) {

    Pod pod() {
      SecurityContext sc = new SecurityContext();
      sc.setPrivileged(privileged);
      sc.setAllowPrivilegeEscalation(escalation);
      if (capabilities != null) {
        sc.setCapabilities(new Capabilities(copy(capabilities.getAdd()), copy(capabilities.getDrop())));
      }
      sc.setRunAsUser(user);
      sc.setRunAsNonRoot(nonRoot);
      Container main = new ContainerBuilder().withName("main").withImage("capstan/test:1").withSecurityContext(sc).build();
      Container init = new ContainerBuilder().withName("init").withImage("capstan/test:1").build();
      PodSecurityContext podSc = new PodSecurityContext();
      podSc.setRunAsUser(podUser);
      podSc.setRunAsNonRoot(podNonRoot);
      PodSpec spec = new PodSpec();
      spec.setContainers(new ArrayList<>(List.of(main)));
      spec.setInitContainers(new ArrayList<>(List.of(init)));
      spec.setSecurityContext(podSc);
      if (os != null) {
        spec.setOs(new PodOS(os));
      }
      Map<String, String> annotations = seccompAnnotation == null ? null
          : Map.of(RestrictedDefaults.SECCOMP_POD_ANNOTATION, seccompAnnotation);
      return new PodBuilder().withNewMetadata().withName("job-worker-0").withNamespace("team")
          .withAnnotations(annotations).endMetadata().withSpec(spec).build();
    }

    private static List<String> copy(List<String> values) {
      return values == null ? null : new ArrayList<>(values);
    }

    /** Whether the user set nothing that Pod Security Standards "restricted" forbids. */
    boolean restrictedCompatible() {
      return !Boolean.TRUE.equals(privileged) && !Boolean.TRUE.equals(escalation)
          && (capabilities == null || capabilities.getAdd() == null || capabilities.getAdd().equals(List.of("NET_BIND_SERVICE"))) && !isRoot(user) && !isRoot(podUser)
          && !Boolean.FALSE.equals(nonRoot) && !Boolean.FALSE.equals(podNonRoot) && seccompAnnotation == null && !"windows".equals(os);
    }

    private static boolean isRoot(Long uid) {
      return uid != null && uid == 0;
    }
  }

  @Test
  void defaultsNeverTurnAnAcceptedPodIntoARejectedOneNorOverrideTheUser() {
    int accepted = 0;
    List<String> failures = new ArrayList<>();
    for (Ask ask : combinations()) {
      Pod asked = ask.pod();
      if (!ApiServerRules.violations(asked).isEmpty()) {
        continue;
      }
      accepted++;
      for (PodSecurityLevel level : PodSecurityLevel.values()) {
        Pod rendered = ask.pod();
        level.apply(rendered.getSpec(), rendered.getMetadata().getAnnotations());
        List<String> problems = new ArrayList<>(ApiServerRules.violations(rendered));
        problems.addAll(userFieldsKept(asked, rendered));
        problems.addAll(noUserNorReadOnlyRootAdded(asked, rendered));
        switch (level) {
          case RESTRICTED -> {
            if (ask.restrictedCompatible()) {
              problems.addAll(RestrictedPodSecurity.violations(rendered.getSpec()));
            }
          }
          case BASELINE -> problems.addAll(onlySeccompAdded(asked, rendered));
          case NONE -> {
            if (!asked.equals(rendered)) {
              problems.add("level none changed the pod");
            }
          }
        }
        if (!problems.isEmpty() && failures.size() < 10) {
          failures.add(level.value() + " " + ask + " -> " + problems);
        }
      }
    }
    assertTrue(accepted > 5_000, "too few accepted combinations to mean anything: " + accepted);
    assertEquals(List.of(), failures);
  }

  @Test
  void aPrivilegedContainerIsNotGivenAllowPrivilegeEscalationFalse() {
    Pod pod = new Ask(true, null, null, null, null, null, null, null, null).pod();
    RestrictedDefaults.apply(pod.getSpec(), null);
    SecurityContext sc = pod.getSpec().getContainers().get(0).getSecurityContext();
    assertEquals(null, sc.getAllowPrivilegeEscalation());
    assertEquals(true, sc.getPrivileged());
    assertEquals(List.of(), ApiServerRules.violations(pod));
  }

  /**
   * A template that asks for nothing (an image that runs as root and writes to its working
   * directory, as most framework images do) gets neither a fixed user nor a read-only root under
   * "restricted": only the fields the standard requires.
   */
  @Test
  void restrictedAddsNoFixedUserAndNoReadOnlyRootToATemplateThatAsksForNeither() {
    Pod pod = new Ask(null, null, null, null, null, null, null, null, null).pod();
    RestrictedDefaults.apply(pod.getSpec(), null);
    PodSpec spec = pod.getSpec();
    assertEquals(null, spec.getSecurityContext().getRunAsUser());
    assertEquals(true, spec.getSecurityContext().getRunAsNonRoot());
    assertEquals("RuntimeDefault", spec.getSecurityContext().getSeccompProfile().getType());
    for (Container c : spec.getContainers()) {
      assertEquals(null, c.getSecurityContext().getRunAsUser(), c.getName());
      assertEquals(null, c.getSecurityContext().getReadOnlyRootFilesystem(), c.getName());
      assertEquals(false, c.getSecurityContext().getAllowPrivilegeEscalation(), c.getName());
      assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), c.getName());
      assertTrue(c.getVolumeMounts() == null || c.getVolumeMounts().isEmpty(), c.getName());
    }
    assertTrue(spec.getVolumes() == null || spec.getVolumes().isEmpty());
    assertEquals(List.of(), RestrictedPodSecurity.violations(spec));
  }

  @Test
  void aTemplateThatAsksForAReadOnlyRootStillGetsAScratchTmp() {
    Pod pod = new Ask(null, null, null, null, null, null, null, null, null).pod();
    pod.getSpec().getContainers().get(0).getSecurityContext().setReadOnlyRootFilesystem(true);
    RestrictedDefaults.apply(pod.getSpec(), null);
    Container main = pod.getSpec().getContainers().get(0);
    assertEquals(List.of("/tmp"), main.getVolumeMounts().stream().map(m -> m.getMountPath()).toList());
    assertEquals(1, pod.getSpec().getVolumes().size());
    assertEquals(List.of(), ApiServerRules.violations(pod));
  }

  @Test
  void levelsReadAsWrittenInLabelsAndSettingsAndAnUnknownOneIsNamed() {
    assertEquals(PodSecurityLevel.BASELINE, PodSecurityLevel.parse("baseline", "label"));
    assertEquals(PodSecurityLevel.NONE, PodSecurityLevel.parse(" None ", "label"));
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PodSecurityLevel.parse("privileged", "namespace team label capstan.dev/pod-security"));
    assertEquals("namespace team label capstan.dev/pod-security: unknown pod security level 'privileged'"
        + " (expected restricted, baseline or none)", e.getMessage());
  }

  private static List<String> noUserNorReadOnlyRootAdded(Pod asked, Pod rendered) {
    List<String> out = new ArrayList<>();
    if (asked.getSpec().getSecurityContext().getRunAsUser() == null && rendered.getSpec().getSecurityContext().getRunAsUser() != null) {
      out.add("pod runAsUser added");
    }
    for (int i = 0; i < asked.getSpec().getContainers().size(); i++) {
      SecurityContext before = asked.getSpec().getContainers().get(i).getSecurityContext();
      SecurityContext after = rendered.getSpec().getContainers().get(i).getSecurityContext();
      if ((before == null || before.getRunAsUser() == null) && after != null && after.getRunAsUser() != null) {
        out.add("container runAsUser added");
      }
      if ((before == null || before.getReadOnlyRootFilesystem() == null) && after != null && after.getReadOnlyRootFilesystem() != null) {
        out.add("container readOnlyRootFilesystem added");
      }
    }
    return out;
  }

  /** Baseline: the rendered pod is the template plus at most the pod-level seccomp profile (checked last: it clears it). */
  private static List<String> onlySeccompAdded(Pod asked, Pod rendered) {
    if (asked.getSpec().getSecurityContext().getSeccompProfile() == null) {
      rendered.getSpec().getSecurityContext().setSeccompProfile(null);
    }
    return asked.equals(rendered) ? List.of() : List.of("baseline added more than seccompProfile: " + rendered.getSpec());
  }

  /** Every value the user set on the main container and the pod is still there, unchanged. */
  private static List<String> userFieldsKept(Pod asked, Pod rendered) {
    List<String> out = new ArrayList<>();
    SecurityContext before = asked.getSpec().getContainers().get(0).getSecurityContext();
    SecurityContext after = rendered.getSpec().getContainers().get(0).getSecurityContext();
    kept(out, "privileged", before.getPrivileged(), after.getPrivileged());
    kept(out, "allowPrivilegeEscalation", before.getAllowPrivilegeEscalation(), after.getAllowPrivilegeEscalation());
    kept(out, "runAsUser", before.getRunAsUser(), after.getRunAsUser());
    kept(out, "runAsNonRoot", before.getRunAsNonRoot(), after.getRunAsNonRoot());
    if (before.getCapabilities() != null) {
      kept(out, "capabilities.add", before.getCapabilities().getAdd(), after.getCapabilities().getAdd());
      if (before.getCapabilities().getDrop() != null) {
        kept(out, "capabilities.drop", before.getCapabilities().getDrop(), after.getCapabilities().getDrop());
      }
    }
    PodSecurityContext podBefore = asked.getSpec().getSecurityContext();
    PodSecurityContext podAfter = rendered.getSpec().getSecurityContext();
    kept(out, "pod runAsUser", podBefore.getRunAsUser(), podAfter.getRunAsUser());
    kept(out, "pod runAsNonRoot", podBefore.getRunAsNonRoot(), podAfter.getRunAsNonRoot());
    return out;
  }

  private static void kept(List<String> out, String field, Object before, Object after) {
    if (before != null && !before.equals(after)) {
      out.add(field + " was " + before + ", became " + after);
    }
  }

  private static List<Ask> combinations() {
    List<Ask> out = new ArrayList<>();
    for (Boolean privileged : FLAGS) {
      for (Boolean escalation : FLAGS) {
        for (Capabilities capabilities : CAPABILITIES) {
          for (Long user : USERS) {
            for (Boolean nonRoot : FLAGS) {
              for (Long podUser : USERS) {
                for (Boolean podNonRoot : FLAGS) {
                  for (String annotation : SECCOMP_ANNOTATIONS) {
                    for (String os : OS) {
                      out.add(new Ask(privileged, escalation, capabilities, user, nonRoot, podUser, podNonRoot, annotation, os));
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return out;
  }
}
