package io.timesync.text;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What is wrong with a JSON file, for a person: where ({@code line 3, column 14}), at which key
 * ({@code selection.servers[1]}) and what, in words. Never the parser's internals: no
 * {@code [Source: ...]} fragment, no Java class or feature name.
 */
public final class JsonErrorText {

    // Jackson puts where a structure started in brackets inside its message: "(for Array starting at [Source: ...])".
    private static final Pattern STARTED_AT = Pattern.compile("\\s*\\((?:for \\w+ starting|start marker) at \\[Source:.*?\\]\\)");
    private static final Pattern SOURCE = Pattern.compile("\\s*(?:at )?\\[Source:.*?(?:line: \\d+, column: \\d+)?\\]");

    private JsonErrorText() {
    }

    /**
     * {@code e} as {@code line L, column C: what is wrong (at KEY)}; for a failure that is not the
     * parser's (the file could not be read), its message.
     */
    public static String of(Throwable e) {
        if (!(e instanceof JacksonException j)) {
            String message = e.getMessage();
            return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse("");
        }
        JsonLocation location = j.getLocation();
        String where = location == null || location.getLineNr() < 1 ? ""
                : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
        return where + what(j);
    }

    private static String what(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key '" + u.getPropertyName() + "'" + at(u);
        }
        if (e instanceof InvalidFormatException f) {
            return "'" + f.getValue() + "' is not " + expected(f.getTargetType()) + at(f);
        }
        if (e instanceof MismatchedInputException m) {
            return m.getTargetType() == null ? "a value of the wrong kind" + at(m)
                    : "expected " + expected(m.getTargetType()) + at(m);
        }
        if (e instanceof JsonMappingException m && e.getCause() instanceof JacksonException syntax && syntax != e) {
            // The parser's failure, met while mapping: say what it found, and where in the document.
            return what(syntax) + at(m);
        }
        if (e instanceof DatabindException d) {
            // A constructor that refused the value (a record's check) says why in its own words.
            Throwable cause = e.getCause();
            String why = cause != null && !(cause instanceof JacksonException) && cause.getMessage() != null
                    ? ": " + cause.getMessage().lines().findFirst().orElse("") : "";
            return "a value that cannot be used here" + at((JsonMappingException) d) + why;
        }
        String message = e.getOriginalMessage() == null ? "not valid JSON" : e.getOriginalMessage();
        message = SOURCE.matcher(STARTED_AT.matcher(message).replaceAll("")).replaceAll("");
        return message.lines().findFirst().orElse("not valid JSON").strip();
    }

    private static String at(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.length() == 0 ? "" : " (at " + path + ")";
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == long.class || type == short.class || type == Integer.class || type == Long.class
                || type == Short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class
                || type == BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name())
                    .collect(Collectors.joining(", "));
        }
        return "an object";
    }
}
