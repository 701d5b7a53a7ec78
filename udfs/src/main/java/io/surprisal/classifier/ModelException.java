package io.surprisal.classifier;

/** A model that cannot be used: unreadable, or taking features the job does not produce. */
public class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
