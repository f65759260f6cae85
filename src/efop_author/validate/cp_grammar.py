"""Validate stage: the IMS Content Packaging grammars of SCORM 1.2 and SCORM 2004 4th Ed.

Written from the official binding XSDs (``imscp_rootv1p1p2``/``adlcp_rootv1p2`` for 1.2;
``imscp_v1p1``, ``adlcp_v1p3``, ``adlseq_v1p3``, ``adlnav_v1p3`` and ``imsss`` for 2004),
element by element, so the native pass rejects what they reject.
"""

from __future__ import annotations

from efop_author.validate import _types as T
from efop_author.validate._grammar import All, Any, Attr, Choice, Decl, El, Grammar, XML_NS  # noqa: F401

CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
CP04 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP04 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"

XML_BASE = f"{{{XML_NS}}}base"

XML_ATTRIBUTES = {
    f"{{{XML_NS}}}base": T.ANY_URI,
    f"{{{XML_NS}}}lang": T.LANGUAGE,
    f"{{{XML_NS}}}space": T.token_enum("default", "preserve"),
}


def q(ns: str, local: str) -> str:
    return f"{{{ns}}}{local}"


def _cp(ns: str, *, v12: bool, wild: str) -> dict[str, Decl]:
    """The imscp element declarations; ``wild`` is the processContents of element wildcards."""
    a = "strict" if v12 else "lax"

    def s(n: int) -> T.SimpleType:
        return T.string(n) if v12 else T.STRING

    def uri(n: int) -> T.SimpleType:
        return T.any_uri(max_length=n) if v12 else T.ANY_URI

    anyw = Any(wild)
    e = {name: q(ns, name) for name in (
        "manifest", "metadata", "organizations", "organization", "title", "item", "resources",
        "resource", "file", "dependency", "schema", "schemaversion")}
    ident = {"identifier": Attr(T.ID, required=True)}
    return {
        e["manifest"]: Decl(ns, {**ident, "version": Attr(s(20)), XML_BASE: Attr(T.ANY_URI)}, a, (
            El(e["metadata"], 0), El(e["organizations"]), El(e["resources"]),
            El(e["manifest"], 0, None), anyw)),
        e["metadata"]: Decl(ns, {}, None if v12 else "lax", (
            El(e["schema"], 0), El(e["schemaversion"], 0), anyw)),
        e["organizations"]: Decl(ns, {"default": Attr(T.IDREF)}, a, (
            El(e["organization"], 0, None), anyw)),
        e["organization"]: Decl(ns, {**ident, "structure": Attr(s(200))}, a, (
            El(e["title"], 0), El(e["item"], 0 if v12 else 1, None), El(e["metadata"], 0), anyw)),
        e["title"]: Decl(ns, text=s(200)),
        e["item"]: Decl(ns, {**ident, "identifierref": Attr(s(2000)), "isvisible": Attr(T.BOOLEAN),
                             "parameters": Attr(s(1000))}, a, (
            El(e["title"], 0), El(e["item"], 0, None), El(e["metadata"], 0), anyw)),
        e["resources"]: Decl(ns, {XML_BASE: Attr(T.ANY_URI)}, a, (El(e["resource"], 0, None), anyw)),
        e["resource"]: Decl(ns, {**ident, "type": Attr(s(1000), required=True),
                                 XML_BASE: Attr(T.ANY_URI), "href": Attr(uri(2000))}, a, (
            El(e["metadata"], 0), El(e["file"], 0, None), El(e["dependency"], 0, None), anyw)),
        e["file"]: Decl(ns, {"href": Attr(uri(2000), required=True)}, a, (El(e["metadata"], 0), anyw)),
        e["dependency"]: Decl(ns, {"identifierref": Attr(s(2000), required=True)}, "strict", (anyw,)),
        e["schema"]: Decl(ns, text=s(100)),
        e["schemaversion"]: Decl(ns, text=s(20)),
    }


def scorm12_grammar() -> Grammar:
    elements = _cp(CP12, v12=True, wild="strict")
    A = ADLCP12
    elements.update({
        q(A, "location"): Decl(A, text=T.string(2000)),
        q(A, "prerequisites"): Decl(A, {"type": Attr(T.string(enum=("aicc_script",)), required=True)},
                                    text=T.string(200)),
        q(A, "maxtimeallowed"): Decl(A, text=T.string(13)),
        q(A, "timelimitaction"): Decl(A, text=T.string(enum=(
            "exit,no message", "exit,message", "continue,no message", "continue,message"))),
        q(A, "datafromlms"): Decl(A, text=T.string(255)),
        q(A, "masteryscore"): Decl(A, text=T.string(200)),
        q(A, "schema"): Decl(A, text=T.string(100, enum=("ADL SCORM",))),
        q(A, "schemaversion"): Decl(A, text=T.string(20, enum=("1.2",))),
    })
    attributes = {**XML_ATTRIBUTES, q(A, "scormtype"): T.string(enum=("asset", "sco"))}
    return Grammar("scorm12", elements, attributes, {CP12: "", ADLCP12: "adlcp", IMSMD12: "imsmd"},
                   skip_namespaces=frozenset({IMSMD12}))


def _empty(ns: str, **attrs: Attr) -> Decl:
    return Decl(ns, dict(attrs))


def _imsss() -> dict[str, Decl]:
    S = IMSSS
    b = Attr(T.BOOLEAN)
    measure = T.decimal("-1", "1")
    op = Attr(T.token_enum("not", "noOp"))
    combination = Attr(T.token_enum("all", "any"))
    seq_conditions = T.token_enum(
        "satisfied", "objectiveStatusKnown", "objectiveMeasureKnown", "objectiveMeasureGreaterThan",
        "objectiveMeasureLessThan", "completed", "activityProgressKnown", "attempted",
        "attemptLimitExceeded", "timeLimitExceeded", "outsideAvailableTimeRange", "always")
    rollup_conditions = T.token_enum(
        "satisfied", "objectiveStatusKnown", "objectiveMeasureKnown", "completed",
        "activityProgressKnown", "attempted", "attemptLimitExceeded", "timeLimitExceeded",
        "outsideAvailableTimeRange")
    timing = Attr(T.token_enum("never", "once", "onEachNewAttempt"))

    def rule(*actions: str) -> Decl:
        conditions = Decl(S, {"conditionCombination": combination}, None, (
            El(q(S, "ruleCondition"), 1, None, _empty(
                S, referencedObjective=Attr(T.ANY_URI), measureThreshold=Attr(measure), operator=op,
                condition=Attr(seq_conditions, required=True))),))
        action = _empty(S, action=Attr(T.token_enum(*actions), required=True))
        return Decl(S, {}, None, (El(q(S, "ruleConditions"), 0, 1, conditions),
                                  El(q(S, "ruleAction"), 1, 1, action)))

    map_info = _empty(S, targetObjectiveID=Attr(T.ANY_URI, required=True), readSatisfiedStatus=b,
                      readNormalizedMeasure=b, writeSatisfiedStatus=b, writeNormalizedMeasure=b)
    min_measure = Decl(S, text=T.SimpleType(measure.label, lambda v: None if v == "" else measure(v)))

    def objective(required_id: bool) -> Decl:
        return Decl(S, {"satisfiedByMeasure": b, "objectiveID": Attr(T.ANY_URI, required=required_id)},
                    None, (El(q(S, "minNormalizedMeasure"), 0, 1, min_measure),
                           El(q(S, "mapInfo"), 0, None, map_info)))

    rollup_rule = Decl(S, {"childActivitySet": Attr(T.token_enum("all", "any", "none", "atLeastCount",
                                                                 "atLeastPercent")),
                           "minimumCount": Attr(T.NON_NEGATIVE_INTEGER),
                           "minimumPercent": Attr(T.decimal("0", "1"))}, None, (
        El(q(S, "rollupConditions"), 1, 1, Decl(S, {"conditionCombination": combination}, None, (
            El(q(S, "rollupCondition"), 1, None, _empty(
                S, operator=op, condition=Attr(rollup_conditions, required=True))),))),
        El(q(S, "rollupAction"), 1, 1, _empty(S, action=Attr(T.token_enum(
            "satisfied", "notSatisfied", "completed", "incomplete"), required=True)))))
    sequencing = Decl(S, {"ID": Attr(T.ID), "IDRef": Attr(T.IDREF)}, None, (
        El(q(S, "controlMode"), 0, 1, _empty(
            S, choice=b, choiceExit=b, flow=b, forwardOnly=b, useCurrentAttemptObjectiveInfo=b,
            useCurrentAttemptProgressInfo=b)),
        El(q(S, "sequencingRules"), 0, 1, Decl(S, {}, None, (
            El(q(S, "preConditionRule"), 0, None, rule("skip", "disabled", "hiddenFromChoice",
                                                        "stopForwardTraversal")),
            El(q(S, "exitConditionRule"), 0, None, rule("exit")),
            El(q(S, "postConditionRule"), 0, None, rule("exitParent", "exitAll", "retry", "retryAll",
                                                         "continue", "previous"))))),
        El(q(S, "limitConditions"), 0, 1, _empty(
            S, attemptLimit=Attr(T.NON_NEGATIVE_INTEGER),
            attemptAbsoluteDurationLimit=Attr(T.DURATION), attemptExperiencedDurationLimit=Attr(T.DURATION),
            activityAbsoluteDurationLimit=Attr(T.DURATION),
            activityExperiencedDurationLimit=Attr(T.DURATION),
            beginTimeLimit=Attr(T.DATETIME), endTimeLimit=Attr(T.DATETIME))),
        El(q(S, "auxiliaryResources"), 0, 1, Decl(S, {}, None, (
            El(q(S, "auxiliaryResource"), 0, None, _empty(
                S, auxiliaryResourceID=Attr(T.ANY_URI, required=True),
                purpose=Attr(T.STRING, required=True))),))),
        El(q(S, "rollupRules"), 0, 1, Decl(S, {
            "rollupObjectiveSatisfied": b, "rollupProgressCompletion": b,
            "objectiveMeasureWeight": Attr(T.decimal("0", "1"))}, None, (
            El(q(S, "rollupRule"), 0, None, rollup_rule),))),
        El(q(S, "objectives"), 0, 1, Decl(S, {}, None, (
            El(q(S, "primaryObjective"), 1, 1, objective(False)),
            El(q(S, "objective"), 0, None, objective(True))))),
        El(q(S, "randomizationControls"), 0, 1, _empty(
            S, randomizationTiming=timing, selectCount=Attr(T.NON_NEGATIVE_INTEGER),
            reorderChildren=b, selectionTiming=timing)),
        El(q(S, "deliveryControls"), 0, 1, _empty(
            S, tracked=b, completionSetByContent=b, objectiveSetByContent=b)),
        Any("strict"),
    ))
    return {
        q(S, "sequencing"): sequencing,
        q(S, "sequencingCollection"): Decl(S, {}, None, (El(q(S, "sequencing"), 1, None),)),
    }


def scorm2004_grammar() -> Grammar:
    elements = _cp(CP04, v12=False, wild="lax")
    A, N, Q = ADLCP04, ADLNAV, ADLSEQ
    b = Attr(T.BOOLEAN)
    consideration = Attr(T.token_enum("always", "ifAttempted", "ifNotSkipped", "ifNotSuspended"))
    elements.update({
        q(A, "location"): Decl(A, text=T.ANY_URI),
        q(A, "dataFromLMS"): Decl(A, text=T.STRING),
        q(A, "timeLimitAction"): Decl(A, text=T.string(enum=(
            "exit,message", "exit,no message", "continue,message", "continue,no message"))),
        q(A, "completionThreshold"): Decl(A, {
            "completedByMeasure": b, "minProgressMeasure": Attr(T.decimal("0", "1")),
            "progressWeight": Attr(T.decimal("0", "1"))}, text=T.STRING),
        q(A, "data"): Decl(A, {}, None, (El(q(A, "map"), 1, None),)),
        q(A, "map"): _empty(A, targetID=Attr(T.ANY_URI, required=True), readSharedData=b,
                            writeSharedData=b),
        q(N, "presentation"): Decl(N, {}, None, (El(q(N, "navigationInterface"), 0, 1),)),
        q(N, "navigationInterface"): Decl(N, {}, None, (El(q(N, "hideLMSUI"), 0, None),)),
        q(N, "hideLMSUI"): Decl(N, text=T.token_enum(
            "abandon", "continue", "exit", "previous", "suspendAll", "exitAll", "abandonAll")),
        q(Q, "constrainedChoiceConsiderations"): _empty(Q, preventActivation=b, constrainChoice=b),
        q(Q, "rollupConsiderations"): _empty(
            Q, requiredForSatisfied=consideration, requiredForNotSatisfied=consideration,
            requiredForCompleted=consideration, requiredForIncomplete=consideration,
            measureSatisfactionIfActive=b),
        q(Q, "objectives"): Decl(Q, {}, None, (El(q(Q, "objective"), 1, None),)),
        q(Q, "objective"): Decl(Q, {"objectiveID": Attr(T.ANY_URI, required=True)}, None,
                                (El(q(Q, "mapInfo"), 1, None),)),
        q(Q, "mapInfo"): _empty(Q, targetObjectiveID=Attr(T.ANY_URI, required=True), **{
            name: b for name in (
                "readRawScore", "readMinScore", "readMaxScore", "readCompletionStatus",
                "readProgressMeasure", "writeRawScore", "writeMinScore", "writeMaxScore",
                "writeCompletionStatus", "writeProgressMeasure")}),
    })
    elements.update(_imsss())
    attributes = {
        **XML_ATTRIBUTES,
        q(A, "scormType"): T.string(enum=("sco", "asset")),
        q(A, "sharedDataGlobalToSystem"): T.BOOLEAN,
        q(Q, "objectivesGlobalToSystem"): T.BOOLEAN,
    }
    prefixes = {CP04: "", A: "adlcp", Q: "adlseq", N: "adlnav", IMSSS: "imsss", LOM: "lom"}
    return Grammar("scorm2004", elements, attributes, prefixes)
