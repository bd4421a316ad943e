package dev.capstan.api.registry;

import dev.capstan.api.training.TrainingJob;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One version of a {@link Model}: its number (assigned by the registry, never reused), where its
 * files came from, their checksums in the artifact store, its format, metrics and lineage. Stored
 * as {@code <model>-<version>} ({@link RegistryNames#versionObjectName}).
 */
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
@Kind(ModelVersion.KIND)
@Plural(ModelVersion.PLURAL)
@ShortNames("mv")
public class ModelVersion extends CustomResource<ModelVersionSpec, ModelVersionStatus> implements Namespaced {
  public static final String KIND = "ModelVersion";
  public static final String PLURAL = "modelversions";
}
