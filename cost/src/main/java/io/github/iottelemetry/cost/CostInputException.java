package io.github.iottelemetry.cost;

/**
 * Input the cost model cannot work with: a bad option, a template without a parameter or resource the model
 * reads, a region the price table does not cover. The message says what, where and why, for the user to act on.
 */
public final class CostInputException extends RuntimeException {

    public CostInputException(String message) {
        super(message);
    }

    public CostInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
