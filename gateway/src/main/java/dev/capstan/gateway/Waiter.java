package dev.capstan.gateway;

/**
 * A request waiting for a replica of its revision: in the activator while the revision is at zero,
 * or while every replica is at its container concurrency. Exactly one of {@link #grant} and the
 * waiter's own expiry or cancellation wins.
 */
interface Waiter {
    /**
     * Hands the waiter a replica whose slot is already reserved; false when the waiter has gone
     * (expired, cancelled), and then the caller gives the slot back.
     */
    boolean grant(Replica replica);

    /** The buffer is full: answer 503 at once. Called instead of queueing. */
    void rejectFull(int buffer);

    /** Gone already (expired or cancelled): the queue drops it. */
    boolean gone();

    /** Its revision left the route table while it waited, and its service with it: answer 503 with Retry-After. */
    void revisionRemoved();

    /** Its revision left the route table while it waited; its service now routes it to {@code next}: wait there. */
    void moveTo(RevisionState next);
}
