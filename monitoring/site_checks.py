"""Runs the website checker over a monitoring round and pre-fills its checklists.

Sites are fetched in a thread pool (``CONCURRENCY`` at once); findings are written from the
calling thread as each site finishes, so the round's progress counter moves while it runs and
one site's failure is only that site's finding. Answers an editor has confirmed are never
overwritten by a later check.
"""

import datetime
import logging
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import checker
from .models import Checklist, ChecklistAnswer, HowFound, MonitoringRound, Verdict
from .services import checklist_for

logger = logging.getLogger(__name__)


def concurrency():
    """Sites checked at once (each still read one request at a time): 16 checked 2,000 local
    sites in under 4 minutes on two cores, where 8 took 7 and 32 added only latency
    (bench/README.md, the website checker)."""
    return getattr(settings, "MONITORING_CHECK_CONCURRENCY", 16)


def item_specs(template):
    return [
        checker.ItemSpec(
            key=item.pk,
            auto_check=item.auto_check,
            sveden_path=item.sveden_path,
            expected_heading=item.expected_heading,
            itemprop=item.itemprop,
            heading_variants=item.heading_variant_list(),
            path_variants=item.path_variant_list(),
            norm_items=item.norm_item_list(),
            requirement_text=item.requirement_text,
        )
        for item in template.items.all()
        if item.auto_check
    ]


def check_round(round_id, *, fetch_page=None, progress=None):
    """Check every organisation of the round; returns the number of sites checked."""
    monitoring_round = MonitoringRound.objects.select_related("template").get(pk=round_id)
    status_before = monitoring_round.status
    MonitoringRound.objects.filter(pk=round_id).update(
        status=MonitoringRound.Status.CHECKING,
        check_started_at=timezone.now(),
        check_finished_at=None,
        sites_checked=0,
    )
    specs = item_specs(monitoring_round.template)
    organisations = list(monitoring_round.organisations.order_by("name"))
    # Each site through one HTTP client of its own (connection reuse, the certificate
    # fallback), unless a test hands in its own page reader.
    check = partial(
        checker.check_site,
        fetch_page=fetch_page,
        timeout=getattr(settings, "MONITORING_CHECK_TIMEOUT", checker.TIMEOUT),
    )
    done = 0
    try:
        with ThreadPoolExecutor(max_workers=concurrency()) as pool:
            futures = {pool.submit(check, o.website, specs): o for o in organisations}
            for future in as_completed(futures):
                organisation = futures[future]
                try:
                    findings = future.result()
                except Exception:  # check_site never raises; this is the last guard
                    logger.exception("Site check failed for %s", organisation.code)
                    findings = {}
                store_findings(monitoring_round, organisation, findings)
                done += 1
                MonitoringRound.objects.filter(pk=round_id).update(sites_checked=done)
                if progress:
                    progress(done, len(organisations), organisation)
    finally:
        # A closed round checked again (from the admin) stays closed.
        MonitoringRound.objects.filter(pk=round_id).update(
            status=status_before
            if status_before != MonitoringRound.Status.CHECKING
            else MonitoringRound.Status.OPEN,
            check_finished_at=timezone.now(),
        )
    return done


@transaction.atomic
def store_findings(monitoring_round, organisation, findings):
    checklist = checklist_for(
        organisation,
        monitoring_round.template,
        Checklist.Source.MONITORING,
        round=monitoring_round,
    )
    if checklist.status == Checklist.Status.ACCEPTED:
        return  # an accepted checklist is the editor's word; re-checking does not change it
    answers = {
        a.item_id: a for a in checklist.answers.filter(item_id__in=list(findings), confirmed=False)
    }
    changed = []
    for item_id, finding in findings.items():
        answer = answers.get(item_id)
        if answer is None:
            continue
        answer.present = finding.present
        answer.pre_filled = True
        answer.evidence_url = finding.url[:500]
        answer.evidence_status = finding.status
        answer.evidence_checked_at = datetime.datetime.fromtimestamp(
            finding.checked_at, tz=datetime.UTC
        )
        answer.evidence_hash = finding.sha256
        answer.evidence_text = finding.text
        answer.evidence_problem = finding.problem[:300]
        answer.evidence_verdict = finding.verdict if finding.verdict in Verdict.values else ""
        answer.evidence_how = finding.how_found if finding.how_found in HowFound.values else ""
        answer.evidence_matched = finding.matched[:300]
        answer.evidence_excerpt = finding.excerpt[:300]
        answer.evidence_items = {
            str(name): state for name, state in (finding.items or {}).items() if state
        }
        changed.append(answer)
    ChecklistAnswer.objects.bulk_update(
        changed,
        [
            "present",
            "pre_filled",
            "evidence_url",
            "evidence_status",
            "evidence_checked_at",
            "evidence_hash",
            "evidence_text",
            "evidence_problem",
            "evidence_verdict",
            "evidence_how",
            "evidence_matched",
            "evidence_excerpt",
            "evidence_items",
        ],
    )
