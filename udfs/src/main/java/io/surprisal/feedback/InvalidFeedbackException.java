package io.surprisal.feedback;

import io.surprisal.event.DeadLetterReason;

/** A feedback record the job cannot apply, with the dead-letter reason and what is wrong. */
public final class InvalidFeedbackException extends Exception {
    private final DeadLetterReason reason;

    public InvalidFeedbackException(DeadLetterReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
