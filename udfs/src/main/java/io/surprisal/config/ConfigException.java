package io.surprisal.config;

/** A configuration that cannot be used, with a message that names the offending key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
