/**
 * MQTT transport: results ({@code <prefix>/<camera>/result}), availability, capture status, stats,
 * {@code set/<name>} commands, and store-and-forward. {@link
 * dev.offramp.runtime.mqtt.MqttPublisher} owns the publisher thread; {@link
 * dev.offramp.runtime.mqtt.BrokerLink} the connection state machine; {@link
 * dev.offramp.runtime.mqtt.DeliveryWindow} the acknowledgement window over {@link
 * dev.offramp.runtime.mqtt.ResultStore} (SQLite, WAL), where every result is stored before it is
 * sent; {@link dev.offramp.runtime.mqtt.CommandHandler} the commands; {@link
 * dev.offramp.runtime.mqtt.DropCounts} the accounting by reason. {@link
 * dev.offramp.runtime.mqtt.ResultJson} is the one codec of the result payload, shared with the HTTP
 * event stream.
 */
package dev.offramp.runtime.mqtt;
