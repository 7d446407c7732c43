package org.ledgerpki.schemas.config;

/**
 * A service's configuration is missing or wrong. The message names the setting, its environment
 * variable and what is wrong, so that start-up fails fast with something an operator can fix.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
