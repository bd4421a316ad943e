package dev.capstan.core.queue;

import dev.capstan.api.queue.QueueModel;
import java.util.List;
import java.util.Map;

/**
 * Port: where the scheduler reads Queues and priority classes, and records what each queue holds
 * after a cycle (its status: pending, admitted, usage, borrowed).
 */
public interface QueueStore {
  /**
   * The valid Queues, the value of each WorkloadPriorityClass by name, and the labels of each
   * namespace by name (for queues that select namespaces by label; empty where namespaces carry
   * none, as on one machine).
   */
  record Setup(List<QueueModel> queues, Map<String, Integer> priorityClasses, Map<String, Map<String, String>> namespaceLabels) {
    public static final Setup NONE = new Setup(List.of(), Map.of());

    public Setup(List<QueueModel> queues, Map<String, Integer> priorityClasses) {
      this(queues, priorityClasses, Map.of());
    }
  }

  Setup read();

  void record(SchedulingResult result);

  /** No queues at all: the implicit queue with the whole capacity, and nothing recorded. */
  QueueStore NONE = new QueueStore() {
    @Override
    public Setup read() {
      return Setup.NONE;
    }

    @Override
    public void record(SchedulingResult result) {}
  };
}
