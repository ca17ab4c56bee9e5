"""Response shapes: ConnectWise's full bodies, a lean variant and an explicit-nulls variant.

Real servers differ in what they send, so ``--shapes`` lets clients prove they cope:

- ``full`` — the record as stored: complete, like the fixtures, with null-valued properties
  left out (ConnectWise's schemas declare most strings non-nullable).
- ``lean`` — optional data left out, as some servers and security roles do: nested references
  lose their ``_info``; the record's own ``_info`` keeps only ``lastUpdated`` and
  ``dateEntered``; flags that are ``false`` are dropped (absent must mean false); and per entity:
  tickets without contact phone/email, severity, impact, address, billing, SLA detail (only
  ``slaStatus`` and ``isInSla`` stay) and similar; priorities reduced to ``{id, name}`` (as
  ``API_SERVICE_PRIORITY_LIMITED`` in the fixtures); members without ``officePhone``,
  ``licenseClass``, ``defaultEmail``/``defaultPhone``, ``hireDate`` and the other
  spec-required extras; statuses without ``escalationStatus``/``defaultFlag``...; notes without
  ``internalFlag``/``externalFlag``/``createdBy``; configurations without serial, IP and
  hardware detail; schedule entries without name, dates and status; a board's types,
  subtypes and items reduced to ``{id, name}`` plus ``inactiveFlag`` when true (no
  ``category``, ``defaultFlag`` or ``typeAssociationIds``).
- ``nulls`` — every optional field that the full shape leaves out is sent as an explicit
  ``null`` (``owner: null``, ``contact: null``, ``team: null``, ``parentTicketId: null``...).
  Such bodies do not validate against ConnectWise's schema on purpose: clients must treat a
  null and an absent property alike.

``apply_shape`` never changes its argument: stored records are shared and read-only.
"""

from __future__ import annotations

from typing import Any, Literal

ShapeMode = Literal["full", "lean", "nulls"]

# Fields dropped in the lean shape, per entity (the keys ``apply_shape`` callers pass).
_LEAN_DROP: dict[str, frozenset[str]] = {
    "tickets": frozenset({
        "contactPhoneNumber", "contactPhoneExtension", "contactEmailAddress", "severity",
        "impact", "site", "siteName", "addressLine1", "addressLine2", "city", "stateIdentifier",
        "zip", "country", "serviceLocation", "location", "department", "mobileGuid", "sla",
        "billTime", "billExpenses", "billProducts", "approved", "respondMinutes",
        "resPlanMinutes", "resolveMinutes", "minutesBeforeWaiting", "minutesWaiting",
        "respondedSkippedMinutes", "resplanSkippedMinutes", "respondedHours", "resplanHours",
        "resolutionHours", "respondedBy", "resplanBy", "resolvedBy", "escalationLevel",
        "dateResplan", "requiredDate", "budgetHours", "actualHours", "source",
    }),
    "members": frozenset({
        "officePhone", "licenseClass", "defaultEmail", "defaultPhone", "hireDate", "title",
        "mobilePhone", "primaryEmail", "timeZone", "securityRole", "defaultLocation",
        "defaultDepartment", "workRole", "dailyCapacity", "timeApprover", "expenseApprover",
        "inactiveDate",
    }),
    "boardStatuses": frozenset({
        "displayOnBoard", "timeEntryNotAllowed", "roundRobinCatchall", "defaultFlag",
        "escalationStatus", "customerPortalFlag", "saveTimeAsNote", "board",
    }),
    "notes": frozenset({"internalFlag", "externalFlag", "createdBy", "issueFlag",
                        "isMarkdownFlag", "originalAuthor", "bundledFlag", "mergedFlag",
                        "createdByParentFlag"}),
    "configurations": frozenset({
        "serialNumber", "modelNumber", "tagNumber", "manufacturer", "ipAddress",
        "defaultGateway", "macAddress", "installationDate", "warrantyExpirationDate", "osType",
        "ram", "lastLoginName", "mobileGuid", "site", "contact", "billFlag",
    }),
    "scheduleEntries": frozenset({"name", "where", "dateStart", "dateEnd", "status", "hours",
                                  "mobileGuid", "closeDate", "allowScheduleConflictsFlag"}),
    "companies": frozenset({"status", "types", "addressLine1", "addressLine2", "city", "state",
                            "zip", "country", "website", "site", "territory",
                            "numberOfEmployees", "dateAcquired", "timeZoneSetup", "mobileGuid",
                            "defaultContact"}),
    "contacts": frozenset({"site", "title", "defaultPhoneType", "defaultPhoneExtension",
                           "communicationItems", "types", "mobileGuid"}),
    "boards": frozenset({"workRole", "workType", "billTime",
                         "billExpense", "billProduct", "autoCloseStatus", "notifyEmailFrom",
                         "notifyEmailFromName", "problemSort", "resolutionSort",
                         "internalAnalysisSort", "allSort", "percentageCalculation",
                         "dispatchMember", "serviceManagerMember"}),
}
_LEAN_KEEP: dict[str, frozenset[str]] = {
    "priorities": frozenset({"id", "name"}),
    # A board's types, subtypes and items as bare lists (no category, no type associations).
    "boardTypes": frozenset({"id", "name", "inactiveFlag", "_info"}),
    "boardSubTypes": frozenset({"id", "name", "inactiveFlag", "_info"}),
    "boardItems": frozenset({"id", "name", "inactiveFlag", "_info"}),
    "ticketConfigurations": frozenset({"id", "deviceIdentifier"}),
}
_LEAN_INFO_KEEP = frozenset({"lastUpdated", "dateEntered"})

# Optional fields sent as null in the nulls shape when the full record has no value.
_NULLABLE: dict[str, tuple[str, ...]] = {
    "tickets": (
        "owner", "contact", "contactName", "contactPhoneNumber", "contactPhoneExtension",
        "contactEmailAddress", "team", "type", "subType", "item", "parentTicketId",
        "mergedParentTicket", "closedDate", "closedBy", "dateResponded", "dateResplan",
        "dateResolved", "respondedBy", "resplanBy", "resolvedBy", "requiredDate",
        "budgetHours", "actualHours", "externalXRef", "resources", "addressLine2", "agreement",
        "opportunity", "poNumber", "estimatedStartDate", "duration", "workRole", "workType",
        "currency", "knowledgeBaseCategoryId", "knowledgeBaseSubCategoryId", "predecessorId",
        "predecessorType", "escalationStartDateUTC",
    ),
    "notes": ("member", "contact", "processNotifications", "timeStart", "timeEnd"),
    "members": ("middleInitial", "mobilePhone", "officeExtension", "inactiveDate", "reportsTo",
                "homePhone", "homeEmail", "photo", "calendar", "serviceDefaultBoard"),
    "priorities": ("imageLink", "urgencySortOrder"),
    "boardStatuses": ("customerPortalDescription", "statusIndicator", "emailTemplate",
                      "customStatusIndicatorName"),
    "boards": ("signOffTemplate", "contactTemplate", "resourceTemplate", "dutyManagerMember",
               "oncallMember", "emailConnectorReopenStatus", "boardIcon"),
    "companies": ("addressLine2", "faxNumber", "parentCompany", "defaultContact", "leadSource",
                  "annualRevenue", "accountNumber"),
    "contacts": ("title", "defaultPhoneExtension", "site", "middleName", "nickName",
                 "relationship", "department"),
    "configurations": ("contact", "osType", "ram", "lastLoginName", "vendor", "notes",
                       "parentConfigurationId", "purchaseDate", "cpuSpeed"),
    "scheduleEntries": ("closeDate", "reminder", "span", "acknowledgedDate", "projectRoleId"),
}


def apply_shape(entity: str, record: dict[str, Any], mode: ShapeMode) -> dict[str, Any]:
    """The record as ``mode`` sends it (see the module docstring); never mutates ``record``."""
    if mode == "full":
        return record
    if mode == "nulls":
        shaped = dict(record)
        for name in _NULLABLE.get(entity, ()):
            if name not in shaped:
                shaped[name] = None
        return shaped
    return _lean(entity, record)


def _lean(entity: str, record: dict[str, Any]) -> dict[str, Any]:
    keep = _LEAN_KEEP.get(entity)
    drop = _LEAN_DROP.get(entity, frozenset())
    shaped: dict[str, Any] = {}
    for name, value in record.items():
        if (keep is not None and name not in keep) or name in drop or value is False:
            continue
        if name == "_info":
            info = {k: v for k, v in value.items() if k in _LEAN_INFO_KEEP}
            if info:
                shaped[name] = info
        elif isinstance(value, dict):
            shaped[name] = {k: v for k, v in value.items() if k != "_info"}
        else:
            shaped[name] = value
    return shaped
