package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import java.io.InputStream;
import java.util.Optional;

/**
 * What the resource commands (apply, get, describe, logs, delete, wait) need from a control plane:
 * the local server ({@link ServerClient}) or a cluster's API server ({@link ClusterControlPlane}).
 */
interface ControlPlane {
  /** Creates or updates; returns the stored object and whether it was created. */
  ServerClient.Applied apply(Kinds.KindInfo kind, String namespace, String name, ObjectNode doc);

  Optional<ObjectNode> get(Kinds.KindInfo kind, String namespace, String name);

  /** {@code {"items": [...]}}; a null namespace lists every namespace. */
  JsonNode list(Kinds.KindInfo kind, String namespace);

  /** False when there was nothing to delete. */
  boolean delete(Kinds.KindInfo kind, String namespace, String name);

  /** An array of {@code {time, type, reason, message}}, oldest first. */
  JsonNode events(Kinds.KindInfo kind, String namespace, String name);

  /** Opens a log stream; the caller copies it and closes it. */
  InputStream logs(Kinds.KindInfo kind, String namespace, String name, LogRequest request);

  /** Which replica's log ({@code null}: rank 0), every replica's, and whether to follow. */
  record LogRequest(String replica, boolean all, boolean follow) {}
}
