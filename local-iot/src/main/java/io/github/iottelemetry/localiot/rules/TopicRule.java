package io.github.iottelemetry.localiot.rules;

import io.github.iottelemetry.iotrules.IotSqlStatement;
import io.github.iottelemetry.localiot.actions.RuleAction;
import java.util.List;

/** One enabled TopicRule of the template: its SQL, its actions, and the error action (null when it has none). */
public record TopicRule(
        String name, String logicalId, IotSqlStatement statement, List<RuleAction> actions, RuleAction errorAction) {}
