"""Patch 12 of sitecustomize.py (its docstring says what and why): EventBridge targets that name a role, delivered by
the local emulator (EventBus.java) as AWS delivers them."""


def patch(_log):
    """EventBridge delivers a target that names a role (a state machine, another account's or region's bus) as
    events.amazonaws.com assuming that role. moto raised NotImplementedError for a state machine target, and put on
    another bus without any role. Such targets are the emulator's (EventBus.java, on LocalLambda's port, MOTO_PORT):
    each rule with one posts the event and the rule there, where AWS's own matcher (event-ruler) decides and the role's
    trust and the target call are evaluated. moto keeps delivering the targets it does (queues, log groups)."""
    import copy
    import datetime
    import json
    import os
    import urllib.request

    from moto.events.models import Rule

    original = Rule.send_to_targets

    def send_to_targets(self, original_event, transform_input=True):
        delivered = [t for t in self.targets if t.get("RoleArn")]
        if delivered and self.state == "ENABLED":
            event = {k: v for k, v in original_event.items() if k != "ingestion-time"}
            if isinstance(event.get("time"), (int, float)):
                event["time"] = datetime.datetime.fromtimestamp(event["time"], datetime.timezone.utc).strftime(
                    "%Y-%m-%dT%H:%M:%SZ")
            body = json.dumps({"ruleArn": self.arn, "eventPattern": self.event_pattern._raw_pattern,
                               "targets": delivered, "event": event}).encode()
            request = urllib.request.Request("http://localhost:%s/_local/eventbridge/matched" % os.environ["MOTO_PORT"],
                                             data=body, method="POST", headers={"Content-Type": "application/json"})
            try:
                urllib.request.urlopen(request, timeout=30).read()
            except Exception as error:  # no EventBus listening: the event reaches no role target, as with none
                _log("events: %s not delivered to %s: %r" % (self.arn, [t["Arn"] for t in delivered], error))
        rest = [t for t in self.targets if not t.get("RoleArn")]
        if rest:
            others = copy.copy(self)
            others.targets = rest
            original(others, original_event, transform_input)

    Rule.send_to_targets = send_to_targets

    # PutEvents naming another account's or region's bus by its ARN (what a forwarding rule's role does): moto looked
    # for a bus of that name in the caller's own account and region. The entry now goes to the bus the ARN names.
    from moto.events.models import EventsBackend, events_backends

    original_put_events = EventsBackend.put_events

    def put_events(self, events):
        if len(events) > 10:
            return original_put_events(self, events)  # moto's validation error
        answers = []
        for event in events:
            bus = event.get("EventBusName") or ""
            parts = bus.split(":")
            if bus.startswith("arn:") and len(parts) > 5 and (parts[4], parts[3]) != (self.account_id, self.region_name):
                answers.extend(original_put_events(events_backends[parts[4]][parts[3]],
                                                   [dict(event, EventBusName=parts[5].split("/", 1)[-1])]))
            else:
                answers.extend(original_put_events(self, [event]))
        return answers

    EventsBackend.put_events = put_events
