package dev.capstan.train;

import dev.capstan.train.checkpoint.CheckpointStore;
import dev.capstan.train.checkpoint.TrainingState;
import java.util.function.Consumer;

/**
 * Writes rank 0's checkpoints on a thread of their own. A write can take long (fsync on a slow or
 * remote disk); done inline it would hold rank 0 while the other ranks wait in the next
 * all-reduce, and past the collective timeout they would fail the job as a stall. Here the loop
 * hands over a snapshot and goes on. One write runs at a time; a checkpoint that comes due while
 * one is being written waits, and a newer one replaces it (the skipped step is logged), so a slow
 * disk costs checkpoint frequency, never progress. {@link #close} waits for the last write, so the
 * final checkpoint is durable before training reports done or a failed rank exits, and
 * {@link #lastSavedStep} then tells whether it was written at all.
 */
final class BackgroundCheckpoints implements AutoCloseable {
  private final CheckpointStore store;
  private final Consumer<String> log;
  private boolean writing;
  private TrainingState waiting;
  private long lastSaved = -1;

  BackgroundCheckpoints(CheckpointStore store, Consumer<String> log) {
    this.store = store;
    this.log = log;
  }

  /** Queues {@code snapshot}, which must not share arrays with anything the loop still changes. */
  synchronized void save(TrainingState snapshot) {
    if (writing) {
      if (waiting != null) {
        log.accept("checkpoint at step " + waiting.step() + " skipped: the one before is still being written");
      }
      waiting = snapshot;
      return;
    }
    writing = true;
    Thread.ofPlatform().daemon().name("capstan-checkpoint").start(() -> write(snapshot));
  }

  private void write(TrainingState first) {
    try {
      for (TrainingState next = first; next != null; next = nextWaiting()) {
        if (store.save(next)) {
          saved(next.step());
          log.accept("checkpoint saved at step " + next.step());
        }
      }
    } catch (RuntimeException e) {
      log.accept("error: the checkpoint writer failed: " + e);
      synchronized (this) {
        waiting = null;
        writing = false;
        notifyAll();
      }
    }
  }

  private synchronized void saved(long step) {
    lastSaved = Math.max(lastSaved, step);
  }

  /** The newest step whose checkpoint this writer saved, or -1 when none was. */
  synchronized long lastSavedStep() {
    return lastSaved;
  }

  /** The checkpoint that came due meanwhile, or null (and no longer writing) when there is none. */
  private synchronized TrainingState nextWaiting() {
    TrainingState next = waiting;
    waiting = null;
    if (next == null) {
      writing = false;
      notifyAll();
    }
    return next;
  }

  /** Waits until every queued checkpoint is written (or has failed and been logged). */
  @Override
  public synchronized void close() {
    boolean interrupted = false;
    while (writing) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
