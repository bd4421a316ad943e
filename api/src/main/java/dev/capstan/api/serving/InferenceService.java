package dev.capstan.api.serving;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A model served over the Open Inference Protocol: revisions of model-server replicas, scaled
 * between {@code minReplicas} and {@code maxReplicas} (zero included), reached through the gateway
 * at {@code status.url}. The fields keep KServe's names ({@code serving.kserve.io/v1beta1}).
 */
@Group(InferenceService.GROUP)
@Version(InferenceService.VERSION)
@Kind(InferenceService.KIND)
@Plural(InferenceService.PLURAL)
@ShortNames(InferenceService.SHORT_NAME)
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class InferenceService extends CustomResource<InferenceServiceSpec, InferenceServiceStatus>
    implements Namespaced {
  public static final String GROUP = "capstan.dev";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "InferenceService";
  public static final String PLURAL = "inferenceservices";
  public static final String SHORT_NAME = "isvc";
}
