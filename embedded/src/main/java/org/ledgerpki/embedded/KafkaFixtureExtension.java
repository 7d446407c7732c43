package org.ledgerpki.embedded;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the JVM's {@linkplain KafkaFixture#shared() shared} {@link KafkaFixture} as a
 * parameter, so that every test class of a run uses one broker and one registry:
 *
 * <pre>{@code
 * @ExtendWith(KafkaFixtureExtension.class)
 * class SomethingIT {
 *   @BeforeAll
 *   static void setUp(KafkaFixture kafka) { ... }
 * }
 * }</pre>
 *
 * <p>The fixture starts on first use and stops when the JVM exits; tests must not close it.
 */
public final class KafkaFixtureExtension implements ParameterResolver {

  /** Used by JUnit. */
  public KafkaFixtureExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == KafkaFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return KafkaFixture.shared();
  }
}
