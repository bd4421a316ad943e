package dev.capstan.local.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * MLflow's search filter: comparisons joined by {@code AND}, as its REST docs describe, e.g.
 * {@code name = 'x'}, {@code name LIKE 'fraud%'}, {@code name ILIKE '%Fraud%'},
 * {@code run_id = '…'}, {@code run_id IN ('a', 'b')}, {@code tags.stage = 'prod'},
 * {@code tags.`a key` != 'v'}, {@code version_number >= 3}. Strings are in single or double
 * quotes (a quote doubled stands for itself). An attribute the entity lacks never matches.
 * Anything else ({@code OR}, an unknown attribute, a dangling operator) is
 * {@code INVALID_PARAMETER_VALUE} naming what is wrong.
 */
final class SearchFilter {
  /** What a filter reads from one entity. */
  interface Attributes {
    /** The attribute's value, or null when the entity has none. */
    String attribute(String name);

    /** The tag's value, or null when the entity has no such tag. */
    String tag(String key);
  }

  private static final int MAX_CLAUSES = 50;
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

  private final List<Predicate<Attributes>> clauses;

  private SearchFilter(List<Predicate<Attributes>> clauses) {
    this.clauses = clauses;
  }

  static SearchFilter all() {
    return new SearchFilter(List.of());
  }

  /**
   * Parses {@code filter} (null or blank matches everything). {@code attributes} are the names that
   * may be compared as strings and {@code numeric} those compared as integers; {@code tags.<key>}
   * is always allowed.
   */
  static SearchFilter parse(String filter, Set<String> attributes, Set<String> numeric) {
    if (filter == null || filter.isBlank()) {
      return all();
    }
    return new Parser(new Lexer(filter).tokens(), attributes, numeric).parse();
  }

  boolean matches(Attributes entity) {
    return clauses.stream().allMatch(c -> c.test(entity));
  }

  private static MlflowError invalid(String reason) {
    return MlflowError.invalid("Invalid filter: " + reason);
  }

  private enum Type { WORD, STRING, NUMBER, OPERATOR, OPEN, CLOSE, COMMA }

  private record Token(Type type, String text) {}

  private static final class Lexer {
    private final String s;
    private int i;

    Lexer(String s) {
      this.s = s;
    }

    List<Token> tokens() {
      List<Token> out = new ArrayList<>();
      while (true) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
          i++;
        }
        if (i >= s.length()) {
          return out;
        }
        out.add(next());
      }
    }

    private Token next() {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        return new Token(Type.STRING, quoted(c));
      }
      if (c == '(' || c == ')' || c == ',') {
        i++;
        return new Token(c == '(' ? Type.OPEN : c == ')' ? Type.CLOSE : Type.COMMA, String.valueOf(c));
      }
      for (String op : List.of("!=", "<>", "<=", ">=", "=", "<", ">")) {
        if (s.startsWith(op, i)) {
          i += op.length();
          return new Token(Type.OPERATOR, op.equals("<>") ? "!=" : op);
        }
      }
      if (Character.isDigit(c) || c == '-') {
        int start = i++;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
          i++;
        }
        return new Token(Type.NUMBER, s.substring(start, i));
      }
      return new Token(Type.WORD, word());
    }

    /** A word: letters, digits, {@code _} and {@code .}, where a backquoted part may hold anything. */
    private String word() {
      StringBuilder w = new StringBuilder();
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c == '`') {
          int end = s.indexOf('`', i + 1);
          if (end < 0) {
            throw invalid("unclosed ` at position " + i);
          }
          w.append('`').append(s, i + 1, end).append('`');
          i = end + 1;
        } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
          w.append(c);
          i++;
        } else {
          break;
        }
      }
      if (w.isEmpty()) {
        throw invalid("unexpected character '" + s.charAt(i) + "' at position " + i);
      }
      return w.toString();
    }

    private String quoted(char quote) {
      StringBuilder v = new StringBuilder();
      int start = i++;
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c != quote) {
          v.append(c);
        } else if (i < s.length() && s.charAt(i) == quote) {
          v.append(quote);
          i++;
        } else {
          return v.toString();
        }
      }
      throw invalid("unclosed string starting at position " + start);
    }
  }

  private static final class Parser {
    private final List<Token> tokens;
    private final Set<String> attributes;
    private final Set<String> numeric;
    private int at;

    Parser(List<Token> tokens, Set<String> attributes, Set<String> numeric) {
      this.tokens = tokens;
      this.attributes = attributes;
      this.numeric = numeric;
    }

    SearchFilter parse() {
      List<Predicate<Attributes>> clauses = new ArrayList<>();
      clauses.add(clause());
      while (at < tokens.size()) {
        Token t = tokens.get(at++);
        if (t.type() == Type.WORD && t.text().equalsIgnoreCase("OR")) {
          throw invalid("OR is not supported; join comparisons with AND");
        }
        if (t.type() != Type.WORD || !t.text().equalsIgnoreCase("AND")) {
          throw invalid("expected AND, found '" + t.text() + "'");
        }
        if (clauses.size() == MAX_CLAUSES) {
          throw invalid("at most " + MAX_CLAUSES + " comparisons");
        }
        clauses.add(clause());
      }
      return new SearchFilter(List.copyOf(clauses));
    }

    private Predicate<Attributes> clause() {
      Token key = expect(Type.WORD, "an attribute such as name or tags.<key>");
      Token op = next("an operator");
      String operator = op.type() == Type.OPERATOR ? op.text() : op.type() == Type.WORD ? op.text().toUpperCase(Locale.ROOT) : "";
      if (operator.equals("NOT")) {
        expectWord("IN");
        operator = "NOT IN";
      }
      String tagKey = tagKey(key.text());
      String attribute = tagKey == null ? attribute(key.text()) : null;
      if (attribute != null && numeric.contains(attribute)) {
        return numberComparison(attribute, operator);
      }
      java.util.function.Function<Attributes, String> read = tagKey != null
          ? e -> e.tag(tagKey) : e -> e.attribute(attribute);
      Predicate<String> test = stringComparison(key.text(), operator);
      return e -> {
        String value = read.apply(e);
        return value != null && test.test(value);
      };
    }

    private Predicate<String> stringComparison(String key, String operator) {
      switch (operator) {
        case "=", "!=" -> {
          String v = expect(Type.STRING, "a quoted string").text();
          return operator.equals("=") ? v::equals : x -> !x.equals(v);
        }
        case "LIKE", "ILIKE" -> {
          Pattern p = like(expect(Type.STRING, "a quoted pattern").text(), operator.equals("ILIKE"));
          return x -> p.matcher(x).matches();
        }
        case "IN", "NOT IN" -> {
          List<String> values = list();
          return operator.equals("IN") ? values::contains : x -> !values.contains(x);
        }
        default -> throw invalid("operator '" + operator + "' does not apply to '" + key
            + "'; use =, !=, LIKE, ILIKE or IN");
      }
    }

    private Predicate<Attributes> numberComparison(String attribute, String operator) {
      Token t = next("a number");
      String text = t.type() == Type.STRING ? t.text() : t.type() == Type.NUMBER ? t.text() : "";
      if (!text.matches("-?[0-9]{1,18}")) {
        throw invalid("'" + attribute + "' is compared with an integer, not '" + t.text() + "'");
      }
      long v = Long.parseLong(text);
      Predicate<Long> test = switch (operator) {
        case "=" -> x -> x == v;
        case "!=" -> x -> x != v;
        case "<" -> x -> x < v;
        case "<=" -> x -> x <= v;
        case ">" -> x -> x > v;
        case ">=" -> x -> x >= v;
        default -> throw invalid("operator '" + operator + "' does not apply to '" + attribute + "'");
      };
      return e -> {
        String value = e.attribute(attribute);
        return value != null && test.test(Long.parseLong(value));
      };
    }

    private List<String> list() {
      expect(Type.OPEN, "(");
      List<String> values = new ArrayList<>();
      values.add(expect(Type.STRING, "a quoted string").text());
      while (next("',' or ')'").type() == Type.COMMA) {
        values.add(expect(Type.STRING, "a quoted string").text());
      }
      if (tokens.get(at - 1).type() != Type.CLOSE) {
        throw invalid("expected ',' or ')' in the IN list");
      }
      return List.copyOf(values);
    }

    /** {@code tags.key} or {@code tags.`a key`}: the key; null for anything else. */
    private static String tagKey(String word) {
      String lower = word.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("tags.") && !lower.startsWith("tag.")) {
        return null;
      }
      String key = word.substring(word.indexOf('.') + 1);
      if (key.length() >= 2 && key.startsWith("`") && key.endsWith("`")) {
        key = key.substring(1, key.length() - 1);
      }
      if (key.isEmpty()) {
        throw invalid("'" + word + "' names no tag key");
      }
      return key;
    }

    private String attribute(String word) {
      String name = word.startsWith("`") && word.endsWith("`") && word.length() > 2 ? word.substring(1, word.length() - 1) : word;
      name = name.startsWith("attributes.") ? name.substring("attributes.".length()) : name;
      if (!IDENTIFIER.matcher(name).matches() || !(attributes.contains(name) || numeric.contains(name))) {
        List<String> known = new ArrayList<>(attributes);
        known.addAll(numeric);
        known.add("tags.<key>");
        throw invalid("unknown attribute '" + MlflowParams.abbreviate(word) + "'; one of " + String.join(", ", known.stream().sorted().toList()));
      }
      return name;
    }

    private Token next(String what) {
      if (at >= tokens.size()) {
        throw invalid("expected " + what + " at the end");
      }
      return tokens.get(at++);
    }

    private Token expect(Type type, String what) {
      Token t = next(what);
      if (t.type() != type) {
        throw invalid("expected " + what + ", found '" + MlflowParams.abbreviate(t.text()) + "'");
      }
      return t;
    }

    private void expectWord(String word) {
      Token t = next(word);
      if (t.type() != Type.WORD || !t.text().equalsIgnoreCase(word)) {
        throw invalid("expected " + word + ", found '" + t.text() + "'");
      }
    }
  }

  /** SQL LIKE: {@code %} any run of characters, {@code _} one character, everything else itself. */
  static Pattern like(String pattern, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '%' -> regex.append(".*");
        case '_' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
  }
}
