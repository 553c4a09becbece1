/**
 * MQTT transport: results ({@code <prefix>/<camera>/result}), availability, capture status, stats,
 * {@code set/<name>} commands, and store-and-forward. {@link
 * dev.offramp.runtime.mqtt.MqttPublisher} owns the publisher thread; {@link
 * dev.offramp.runtime.mqtt.BrokerLink} the connection state machine; {@link
 * dev.offramp.runtime.mqtt.DeliveryWindow} the acknowledgement window over {@link
 * dev.offramp.runtime.mqtt.ResultStore} (SQLite, WAL), where every result is stored before it is
 * sent; {@link dev.offramp.runtime.mqtt.CommandHandler} the commands; {@link
 * dev.offramp.runtime.mqtt.DropCounts} the accounting by reason; {@link
 * dev.offramp.runtime.mqtt.HeldResults} the results kept in memory while storage fails. {@link
 * dev.offramp.runtime.mqtt.ResultJson} is the one codec of the result payload (Jackson databind
 * over the {@code ResultPayload} records; {@code schemas/result.schema.json} publishes the
 * contract), shared with the HTTP event stream; {@link dev.offramp.runtime.mqtt.TlsSocketFactories}
 * reads PEM files with BouncyCastle. Depends on {@code pipeline}, {@code control}, {@code capture}
 * (capture states) and {@code text}.
 */
package dev.offramp.runtime.mqtt;
