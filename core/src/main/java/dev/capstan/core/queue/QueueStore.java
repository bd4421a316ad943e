package dev.capstan.core.queue;

import dev.capstan.api.queue.QueueModel;
import java.util.List;
import java.util.Map;

/**
 * Port: where the scheduler reads Queues and priority classes, and records what each queue holds
 * after a cycle (its status: pending, admitted, usage, borrowed).
 */
public interface QueueStore {
  /** The valid Queues and the value of each WorkloadPriorityClass by name. */
  record Setup(List<QueueModel> queues, Map<String, Integer> priorityClasses) {
    public static final Setup NONE = new Setup(List.of(), Map.of());
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
