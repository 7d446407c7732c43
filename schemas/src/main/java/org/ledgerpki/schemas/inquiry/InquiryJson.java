package org.ledgerpki.schemas.inquiry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ledgerpki.core.MalformedInputException;

/**
 * The one writer and reader of the inquiry node's JSON answers that are not status answers ({@code
 * StatusAnswer} in core has its own): the node writes {@code GET /v1/landmarks/subtrees} and {@code
 * GET /v1/revocations} with {@link #write}, clients read them with {@link #landmarks} and {@link
 * #revocations}. Fields are written in the records' component order. A reader requires every field
 * of the records (a {@code null} only where the record allows one) and ignores fields it does not
 * know. Thread-safe.
 */
public final class InquiryJson {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  /** Jackson's message for a field a record needs and the JSON lacks. */
  private static final Pattern MISSING =
      Pattern.compile("Missing (?:required )?creator property '([^']+)'");

  private InquiryJson() {}

  /** The JSON of a landmark list or of a revocation list, as the node answers it (UTF-8). */
  public static byte[] write(Object answer) {
    if (!(answer instanceof RevocationList) && !(answer instanceof List<?>)) {
      throw new IllegalArgumentException(
          "expected a RevocationList or a List<Landmark>, found " + answer.getClass().getName());
    }
    try {
      return JSON.writeValueAsBytes(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads {@code GET /v1/landmarks/subtrees}: a JSON array of {@link Landmark}.
   *
   * @throws MalformedInputException if it is not such an array, naming the missing field
   */
  public static List<Landmark> landmarks(String json) throws MalformedInputException {
    if (json == null || !json.stripLeading().startsWith("[")) {
      throw new MalformedInputException("expected a JSON array of landmarks");
    }
    return read(json, new TypeReference<List<Landmark>>() {});
  }

  /**
   * Reads {@code GET /v1/revocations}.
   *
   * @throws MalformedInputException if it is not a revocation list, naming the missing field
   */
  public static RevocationList revocations(String json) throws MalformedInputException {
    return read(json, new TypeReference<RevocationList>() {});
  }

  private static <T> T read(String json, TypeReference<T> type) throws MalformedInputException {
    try {
      T value = JSON.readValue(json, type);
      if (value == null) {
        throw new MalformedInputException("expected " + type.getType() + ", found null");
      }
      return value;
    } catch (MismatchedInputException e) {
      Matcher missing = MISSING.matcher(e.getOriginalMessage());
      if (missing.find()) {
        throw new MalformedInputException("missing field '" + missing.group(1) + "'");
      }
      String field = e.getPath().isEmpty() ? null : e.getPath().getLast().getFieldName();
      throw new MalformedInputException(
          (field == null ? "" : "field '" + field + "': ") + e.getOriginalMessage());
    } catch (ValueInstantiationException e) {
      throw new MalformedInputException(
          e.getCause() == null ? e.getOriginalMessage() : e.getCause().getMessage());
    } catch (JsonProcessingException e) {
      throw new MalformedInputException("not JSON: " + e.getOriginalMessage());
    }
  }
}
