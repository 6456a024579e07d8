"""Every write of standards, assessments, evidence files and drug-prone area assessments.

Each function takes the acting user and plain values, checks role and scope, validates,
writes in one transaction and records the change log. Views, the API and the demo all
come through here, so each rule lives once:

- a published standard version never changes, and neither does any version an
  assessment used; a new version is a copy (``copy_standard``);
- an assessment is scored against a published version; maturity is the weighted mean of
  the component levels (2 decimals); only a verified assessment counts, and it is
  functioning at maturity ≥ 3;
- the verifier is a manager or national admin, not the assessor, whose jurisdiction
  holds the site and the assessor's office (the same or a higher office); a site focal
  point may self-assess their own site but never verifies anything;
- evidence files are PDF, JPEG or PNG by their content, at most 10 MB;
- a drug-prone category comes from the current category rule, and "recovered" compares
  with the village's most recent earlier year.
"""

from .assessments import (
    ASSESSOR_ROLES,
    REVIEW_MONTHS,
    VERIFIER_ROLES,
    PastAssessment,
    add_months,
    assess_problem,
    bulk_create_past_assessments,
    create_assessment,
    default_review_due,
    delete_draft_assessment,
    refresh_site_status,
    return_assessment,
    submit_assessment,
    unverify_assessment,
    update_assessment,
    verifier_problem,
    verify_assessment,
    weighted_maturity,
)
from .drug_prone import (
    DRUG_PRONE_WRITERS,
    PastDrugProne,
    bulk_record_drug_prone,
    change_rule,
    current_rule,
    drug_prone_problem,
    record_drug_prone,
    update_drug_prone,
)
from .evidence import (
    MAX_EVIDENCE_BYTES,
    add_evidence,
    check_evidence_file,
    delete_evidence,
    sniff,
)
from .standards import (
    MAX_COMPONENTS,
    MIN_COMPONENTS,
    add_component,
    copy_standard,
    current_standard,
    delete_component,
    delete_draft,
    publish_standard,
    standards_for_site_type,
    update_component,
    update_standard,
)

__all__ = [
    "ASSESSOR_ROLES",
    "PastAssessment",
    "bulk_create_past_assessments",
    "DRUG_PRONE_WRITERS",
    "PastDrugProne",
    "bulk_record_drug_prone",
    "MAX_COMPONENTS",
    "MAX_EVIDENCE_BYTES",
    "MIN_COMPONENTS",
    "REVIEW_MONTHS",
    "VERIFIER_ROLES",
    "add_component",
    "add_evidence",
    "add_months",
    "assess_problem",
    "change_rule",
    "check_evidence_file",
    "copy_standard",
    "create_assessment",
    "current_rule",
    "current_standard",
    "default_review_due",
    "delete_component",
    "delete_draft",
    "delete_evidence",
    "drug_prone_problem",
    "publish_standard",
    "record_drug_prone",
    "refresh_site_status",
    "delete_draft_assessment",
    "return_assessment",
    "sniff",
    "standards_for_site_type",
    "submit_assessment",
    "unverify_assessment",
    "update_assessment",
    "update_component",
    "update_drug_prone",
    "update_standard",
    "verifier_problem",
    "verify_assessment",
    "weighted_maturity",
]
