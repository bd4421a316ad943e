package dev.capstan.core.serving;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Every revision of one service a backend reports, by revision name. */
public record ObservedRevisions(Map<String, RevisionObservation> byName) {
  private static final ObservedRevisions NONE = new ObservedRevisions(Map.of());

  public ObservedRevisions {
    byName = Map.copyOf(byName);
  }

  public static ObservedRevisions none() {
    return NONE;
  }

  public static ObservedRevisions of(Collection<RevisionObservation> revisions) {
    Map<String, RevisionObservation> map = new LinkedHashMap<>();
    revisions.forEach(r -> map.put(r.key().revision(), r));
    return new ObservedRevisions(map);
  }

  public Optional<RevisionObservation> revision(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
