package dev.capstan.api.training;

/** When a job counts as succeeded. */
public enum SuccessPolicy {
  /** The rank-0 replica (master or chief, else worker-0) exited 0. */
  Default,
  /** Every worker (and the rank-0 replica) exited 0. */
  AllWorkers
}
