package dev.capstan.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The API server's validation rules that apply to the objects the operator emits, written out
 * from Kubernetes' apimachinery validation: object names, label and annotation syntax, port
 * numbers and names, environment variable names and resource quantities; a pod's security fields
 * and volumes are checked by {@link SecurityContextRules}.
 */
public final class ApiServerRules {
  private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final Pattern QUANTITY = Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");

  private ApiServerRules() {}

  public static List<String> violations(HasMetadata object) {
    List<String> out = new ArrayList<>();
    String what = object.getKind() + " " + object.getMetadata().getName();
    String name = object.getMetadata().getName();
    switch (object) {
      case Service s -> label(out, what + " name", name, DNS1035_LABEL);
      case Pod p -> label(out, what + " name", name, DNS1123_LABEL);
      default -> subdomain(out, what + " name", name);
    }
    if (object.getMetadata().getNamespace() != null) {
      label(out, what + " namespace", object.getMetadata().getNamespace(), DNS1123_LABEL);
    }
    labels(out, what, object.getMetadata().getLabels());
    if (object.getMetadata().getAnnotations() != null) {
      object.getMetadata().getAnnotations().keySet().forEach(k -> key(out, what + " annotation", k));
    }
    if (object.getMetadata().getOwnerReferences() != null) {
      object.getMetadata().getOwnerReferences().forEach(r -> {
        if (r.getUid() == null || r.getName() == null || r.getKind() == null || r.getApiVersion() == null) {
          out.add(what + ": ownerReference lacks apiVersion, kind, name or uid");
        }
      });
    }
    if (object instanceof Pod pod) {
      pod(out, what, pod.getSpec());
      out.addAll(SecurityContextRules.violations(what, pod.getMetadata().getAnnotations(), pod.getSpec()));
    }
    if (object instanceof Service svc) {
      for (ServicePort p : svc.getSpec().getPorts()) {
        port(out, what, p.getPort());
        portName(out, what, p.getName());
      }
      if (svc.getSpec().getSelector() != null) {
        labels(out, what + " selector", svc.getSpec().getSelector());
      }
    }
    return out;
  }

  private static void pod(List<String> out, String what, PodSpec spec) {
    if (spec.getHostname() != null) {
      label(out, what + " hostname", spec.getHostname(), DNS1123_LABEL);
    }
    if (spec.getVolumes() != null) {
      spec.getVolumes().forEach(v -> label(out, what + " volume", v.getName(), DNS1123_LABEL));
    }
    Stream.concat(spec.getContainers().stream(), spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream())
        .forEach(c -> container(out, what, c));
  }

  private static void container(List<String> out, String what, Container c) {
    label(out, what + " container", c.getName(), DNS1123_LABEL);
    if (c.getImage() == null || c.getImage().isBlank()) {
      out.add(what + ": container " + c.getName() + " has no image");
    }
    for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
      port(out, what, p.getContainerPort());
      if (p.getName() != null) {
        portName(out, what, p.getName());
      }
    }
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (!ENV_NAME.matcher(e.getName()).matches()) {
        out.add(what + ": env var name '" + e.getName() + "' is invalid");
      }
    }
    if (c.getResources() != null) {
      quantities(out, what, c.getResources().getRequests());
      quantities(out, what, c.getResources().getLimits());
    }
  }

  private static void quantities(List<String> out, String what, Map<String, Quantity> values) {
    if (values == null) {
      return;
    }
    values.forEach((k, q) -> {
      String text = q.getAmount() + (q.getFormat() == null ? "" : q.getFormat());
      if (!QUANTITY.matcher(text).matches()) {
        out.add(what + ": quantity " + k + "=" + text + " is invalid");
      }
    });
  }

  private static void port(List<String> out, String what, Integer port) {
    if (port == null || port < 1 || port > 65535) {
      out.add(what + ": port " + port + " is outside 1-65535");
    }
  }

  private static void portName(List<String> out, String what, String name) {
    if (name == null || name.length() > 15 || !IANA_SVC_NAME.matcher(name).matches() || name.contains("--") || !name.matches(".*[a-z].*")) {
      out.add(what + ": port name '" + name + "' is not an IANA service name");
    }
  }

  private static void labels(List<String> out, String what, Map<String, String> labels) {
    if (labels == null) {
      return;
    }
    labels.forEach((k, v) -> {
      key(out, what + " label", k);
      if (v.length() > 63 || !LABEL_VALUE.matcher(v).matches()) {
        out.add(what + ": label value '" + v + "' is invalid");
      }
    });
  }

  private static void key(List<String> out, String what, String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      subdomain(out, what + " prefix", key.substring(0, slash));
    }
    if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
      out.add(what + ": key '" + key + "' is invalid");
    }
  }

  private static void label(List<String> out, String what, String value, Pattern pattern) {
    if (value == null || value.length() > 63 || !pattern.matcher(value).matches()) {
      out.add(what + ": '" + value + "' is not a valid name (" + pattern + ", at most 63 characters)");
    }
  }

  private static void subdomain(List<String> out, String what, String value) {
    if (value == null || value.length() > 253 || !DNS1123_SUBDOMAIN.matcher(value).matches()) {
      out.add(what + ": '" + value + "' is not a DNS-1123 subdomain");
    }
  }
}
