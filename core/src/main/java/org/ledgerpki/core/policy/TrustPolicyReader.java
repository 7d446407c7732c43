package org.ledgerpki.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@link TrustPolicy} from the policy file's text (YAML or JSON) and writes a {@link
 * PolicyDocument} back as YAML ({@link PolicyDocument#toYaml()}). Reading maps the text onto a
 * {@link PolicyDocument}, refusing unknown fields and wrong types with the field's path, then hands
 * it to {@code TrustPolicyCheck}. Every message starts with the {@code source} name. See
 * docs/trust-policy.md.
 */
public final class TrustPolicyReader {
  private TrustPolicyReader() {}

  /**
   * Parses and checks a policy. Its {@linkplain TrustPolicy#documentBytes() document bytes} are
   * {@code text} in UTF-8.
   *
   * @param text YAML or JSON
   * @param source a name for messages, e.g. the file path
   * @throws PolicyException naming the source and the field, if the text is not a valid policy
   */
  public static TrustPolicy parse(String text, String source) throws PolicyException {
    return parse(text, text.getBytes(StandardCharsets.UTF_8), source);
  }

  /**
   * Parses and checks a policy from its exact bytes (as carried on the ledger), which {@link
   * TrustPolicy#documentBytes()} gives back and {@link TrustPolicy#sha256()} hashes.
   *
   * @param bytes YAML or JSON in UTF-8; malformed UTF-8 is refused
   * @param source a name for messages
   * @throws PolicyException naming the source and the field, if the bytes are not a valid policy
   */
  public static TrustPolicy parse(byte[] bytes, String source) throws PolicyException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new PolicyException(source + ": the policy document is not valid UTF-8", e);
    }
    return parse(text, bytes, source);
  }

  /**
   * Checks a policy document built in code (for example by {@code ledgerpki keygen}). Its
   * {@linkplain TrustPolicy#documentBytes() document bytes} are {@link PolicyDocument#toYaml()} in
   * UTF-8, the file {@code keygen} writes.
   *
   * @throws PolicyException naming the source and the field, if the document is not a valid policy
   */
  public static TrustPolicy of(PolicyDocument document, String source) throws PolicyException {
    return TrustPolicyCheck.check(
        document, document.toYaml().getBytes(StandardCharsets.UTF_8), source);
  }

  private static TrustPolicy parse(String text, byte[] bytes, String source)
      throws PolicyException {
    PolicyDocument d;
    try {
      d = mapper().readValue(text, PolicyDocument.class);
    } catch (UnrecognizedPropertyException e) {
      throw new PolicyException(
          source + ": " + path(e) + ": unknown field '" + e.getPropertyName() + "'", e);
    } catch (JsonMappingException e) {
      throw new PolicyException(source + ": " + path(e) + ": " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new PolicyException(source + ": not valid YAML or JSON: " + e.getOriginalMessage(), e);
    }
    if (d == null) {
      throw new PolicyException(source + ": the policy is empty");
    }
    return TrustPolicyCheck.check(d, bytes, source);
  }

  /** Writes a policy document as YAML: the form {@link PolicyDocument#toYaml()} gives. */
  static String toYaml(PolicyDocument document) {
    try {
      return mapper().writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write policy", e);
    }
  }

  private static ObjectMapper mapper() {
    YAMLFactory yaml =
        YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    return new ObjectMapper(yaml)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
  }

  /** The JSON path of a mapping failure, such as {@code members[1].roles}. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "(top)" : sb.toString();
  }
}
