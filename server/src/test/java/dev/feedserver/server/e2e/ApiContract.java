package dev.feedserver.server.e2e;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * docs/openapi.yaml as a checker of real HTTP exchanges, over Atlassian's OpenAPI validator:
 * a response must have a status the operation documents, the documented content type, a body
 * that matches the documented schema and the documented required headers; a request that is
 * meant to be valid must match its parameters, body and security. Records which statuses of
 * which operations were seen, so a test can say what it covered.
 *
 * <p>Not thread-safe (the coverage record); one per test class.
 */
final class ApiContract {
    private final OpenAPI api;
    private final OpenApiInteractionValidator validator;
    private final Map<String, Set<String>> seen = new TreeMap<>();

    private ApiContract(OpenAPI api, OpenApiInteractionValidator validator) {
        this.api = api;
        this.validator = validator;
    }

    /** Parses the spec (any parser message is a failure: the document must be valid OpenAPI 3). */
    static ApiContract of(String specification) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(specification, null, options);
        if (parsed.getOpenAPI() == null || (parsed.getMessages() != null && !parsed.getMessages().isEmpty())) {
            throw new AssertionError("docs/openapi.yaml does not parse cleanly: " + parsed.getMessages());
        }
        return new ApiContract(parsed.getOpenAPI(), OpenApiInteractionValidator.createForInlineApiSpecification(specification).build());
    }

    OpenAPI api() {
        return api;
    }

    /** Checks the response alone (the request may be deliberately invalid). */
    void checkResponse(String method, String pathAndQuery, ObservedResponse response) {
        String path = pathOf(pathAndQuery);
        ValidationReport report = validator.validateResponse(path, Request.Method.valueOf(method), toResponse(response));
        record(method, path, response.status());
        fail(method + " " + pathAndQuery, response, report);
    }

    /** Checks a request meant to be valid together with its response. */
    void checkExchange(String method, String pathAndQuery, Map<String, String> headers, String body, ObservedResponse response) {
        String path = pathOf(pathAndQuery);
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        headers.forEach(request::withHeader);
        if (body != null) {
            request.withBody(body);
        }
        int q = pathAndQuery.indexOf('?');
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                request.withQueryParam(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        ValidationReport report = validator.validate(request.build(), toResponse(response));
        record(method, path, response.status());
        fail(method + " " + pathAndQuery, response, report);
    }

    /** Every documented operation ("GET /v1/feed") with its documented statuses. */
    Map<String, Set<String>> documented() {
        Map<String, Set<String>> out = new TreeMap<>();
        api.getPaths().forEach((template, item) -> item.readOperationsMap().forEach((method, operation) ->
                out.put(method.name() + " " + template, new TreeSet<>(operation.getResponses().keySet()))));
        return out;
    }

    /** The statuses seen per operation so far. */
    Map<String, Set<String>> seen() {
        return seen;
    }

    /** The operation a concrete path and method fall under, e.g. "DELETE /v1/items/{item_id}". */
    String operationOf(String method, String path) {
        for (Map.Entry<String, PathItem> e : api.getPaths().entrySet()) {
            if (matches(e.getKey(), path)) {
                Operation operation = e.getValue().readOperationsMap().get(PathItem.HttpMethod.valueOf(method));
                if (operation != null) {
                    return method + " " + e.getKey();
                }
            }
        }
        throw new AssertionError("no documented operation for " + method + " " + path);
    }

    private void record(String method, String path, int status) {
        seen.computeIfAbsent(operationOf(method, path), k -> new TreeSet<>()).add(Integer.toString(status));
    }

    private static boolean matches(String template, String path) {
        String[] t = template.split("/", -1);
        String[] p = path.split("/", -1);
        if (t.length != p.length) {
            return false;
        }
        for (int i = 0; i < t.length; i++) {
            boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
            if (!(variable ? !p[i].isEmpty() : t[i].equals(p[i]))) {
                return false;
            }
        }
        return true;
    }

    private static SimpleResponse toResponse(ObservedResponse response) {
        SimpleResponse.Builder builder = SimpleResponse.Builder.status(response.status()).withBody(response.body());
        response.headers().forEach(builder::withHeader);
        if (response.header("content-type") != null) {
            builder.withContentType(response.header("content-type"));
        }
        return builder.build();
    }

    private static void fail(String what, ObservedResponse response, ValidationReport report) {
        if (report.hasErrors()) {
            String messages = report.getMessages().stream()
                    .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                    .map(m -> "  " + m.getKey() + ": " + m.getMessage())
                    .collect(Collectors.joining("\n"));
            throw new AssertionError(what + " -> " + response.status() + " breaks docs/openapi.yaml:\n" + messages
                    + "\nbody: " + abbreviate(response.body()));
        }
    }

    private static String pathOf(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String body) {
        return body.length() <= 600 ? body : body.substring(0, 600) + "...";
    }

    /** Operations with the statuses documented but never seen; for the test's coverage line. */
    String unseen() {
        return documented().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().stream()
                        .filter(s -> !seen.getOrDefault(e.getKey(), Set.of()).contains(s)).toList())
                .collect(Collectors.joining("\n  "));
    }
}
