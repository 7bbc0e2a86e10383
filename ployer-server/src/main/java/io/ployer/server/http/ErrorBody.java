package io.ployer.server.http;

/**
 * The JSON body of every error response: {@code {"error":{"code","message","field"}}}.
 *
 * @param error the error
 */
public record ErrorBody(Detail error) {

    /**
     * @param code    stable machine-readable code
     * @param message human-readable explanation, never holding a secret
     * @param field   the request field at fault, or {@code null}
     */
    public record Detail(String code, String message, String field) {
    }

    public static ErrorBody of(String code, String message, String field) {
        return new ErrorBody(new Detail(code, message, field));
    }
}
