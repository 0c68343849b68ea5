"""Duplicate batch entry: sheets beyond the expected count and a repeated run of sheets are
stored held for review, with a warning on the entry screen; an editor accepts or rejects
them; nothing is dropped."""

from surveys.coverage import coverage_report
from surveys.models import Response, ResponseMode
from surveys.paper import REPEAT_RUN, create_batch, repeated_run
from surveys.tests.test_paper import ALL_YES, PaperTestData

# Four different valid sheets (a skipped question is 0).
SHEETS = ["11111111111111", "11111201111111", "20111201111111", "11201202120111"]


class DuplicateBatchEntryTests(PaperTestData):
    def type_sheet(self, line="", batch=None, **kwargs):
        response = super().type_sheet(line, batch=batch, **kwargs)
        self.assertEqual(response.status_code, 302, line)  # stored, held or not
        return response

    def statuses(self, batch=None):
        return list(
            Response.objects.filter(batch=batch or self.batch)
            .order_by("pk")
            .values_list("status", flat=True)
        )

    def test_a_sheet_beyond_the_expected_count_is_held_with_a_warning(self):
        batch = create_batch(
            organisation=self.school_a,
            audience="parents",
            mode=ResponseMode.PAPER,
            created_by=self.editor,
            expected_count=2,
        )
        self.client.force_login(self.interviewer)
        for line in SHEETS[:3]:
            self.type_sheet(line, batch=batch)
        self.assertEqual(self.statuses(batch), ["accepted", "accepted", "flagged"])
        page = self.client.get(self.entry_url(batch))
        self.assertContains(page, "Анкета № 3 сохранена, но отложена на проверку")
        self.assertContains(page, "сверх ожидаемого числа анкет пачки")
        self.assertContains(page, "1 анкета пачки на проверке")
        # Held, not counted, until an editor decides.
        item = coverage_report(self.campaign).by_organisation[self.school_a]
        self.assertEqual((item.parents.count, item.flagged), (2, 1))

    def test_a_batch_typed_a_second_time_is_held_from_the_repeated_run_on(self):
        self.client.force_login(self.interviewer)
        for line in SHEETS:
            self.type_sheet(line)
        for line in SHEETS[:REPEAT_RUN]:
            self.type_sheet(line)
        self.assertEqual(self.statuses(), ["accepted"] * 4 + ["flagged"] * 3)
        reasons = set(
            Response.objects.filter(status="flagged").values_list("flag_reason", flat=True)
        )
        self.assertEqual(reasons, {"повтор анкет, уже введённых в эту пачку"})
        page = self.client.get(self.entry_url())
        self.assertContains(page, "Вместе с ней на проверку отложены предыдущие анкеты: 2.")
        # The repeat goes on: the next sheet of the old order is held too.
        self.type_sheet(SHEETS[3])
        self.assertEqual(self.statuses()[-1], "flagged")
        # A different sheet breaks the run and is accepted.
        self.type_sheet("20202202120112")
        self.assertEqual(self.statuses()[-1], "accepted")

    def test_identical_answers_alone_prove_no_repeat(self):
        self.client.force_login(self.interviewer)
        for _ in range(10):
            self.type_sheet(ALL_YES)
        self.assertEqual(set(self.statuses()), {"accepted"})
        self.assertFalse(repeated_run([("a",)] * 8))
        self.assertFalse(repeated_run(list("abcab")))  # a run may not overlap its repeat
        self.assertTrue(repeated_run(list("abcabc")))
        self.assertTrue(repeated_run(list("xabcqabc")))

    def test_an_editor_accepts_or_rejects_held_sheets_and_an_interviewer_may_not(self):
        self.client.force_login(self.interviewer)
        for line in SHEETS + SHEETS[:REPEAT_RUN]:
            self.type_sheet(line)
        held = list(Response.objects.filter(status="flagged").order_by("pk"))
        url = f"/survey/paper/{self.batch.code}/"
        page = self.client.get(url)
        self.assertContains(page, "Часть анкет отложена на проверку")
        self.assertContains(page, "<code>11111111111111</code>", html=False)
        response = self.client.post(url, {"action": "reject", "response": [held[0].pk]})
        self.assertEqual(response.status_code, 403)

        self.client.force_login(self.editor)
        self.client.post(url, {"action": "reject", "response": [r.pk for r in held[:2]]})
        self.client.post(url, {"action": "accept", "response": [held[2].pk]})
        self.assertEqual(self.statuses(), ["accepted"] * 4 + ["rejected", "rejected", "accepted"])
        # Rejected sheets stay on record; coverage counts the accepted ones only.
        self.assertEqual(Response.objects.filter(batch=self.batch).count(), 7)
        item = coverage_report(self.campaign).by_organisation[self.school_a]
        self.assertEqual(item.parents.count, 5)

    def test_a_rejected_sheet_is_no_part_of_the_batch_for_the_next_checks(self):
        self.client.force_login(self.interviewer)
        for line in SHEETS[:REPEAT_RUN]:
            self.type_sheet(line)
        Response.objects.filter(batch=self.batch).update(status="rejected")
        for line in SHEETS[:REPEAT_RUN]:
            self.type_sheet(line)
        self.assertEqual(self.statuses()[-REPEAT_RUN:], ["accepted"] * REPEAT_RUN)
