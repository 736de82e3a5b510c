from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.fields import OrganisationNumbersField
from exchange.widgets import CpvMultipleField
from pestor.forms import DecimalField, ModelMultipleChoiceField, formfield_for
from pestor.widgets import MunicipalityAutocomplete, MunicipalityField

from .models import Answer, DemandNotice, SocialClauseCheck
from .services import MAX_ATTACHMENTS, NOTICE_FIELDS
from .templatetags.demand import pln
from .validators import validate_document

DOCUMENT_ACCEPT = ".pdf,.odt,.docx,application/pdf,application/vnd.oasis.opendocument.text,"
DOCUMENT_ACCEPT += "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleDocumentField(forms.FileField):
    """Several PDF, ODT or DOCX files in one input; each is checked on its own."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"multiple": True, "accept": DOCUMENT_ACCEPT})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned, errors = [], []
        for upload in files:
            upload = super().clean(upload, initial)
            try:
                validate_document(upload)
            except ValidationError as error:
                errors.extend(error.messages)
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


class OptionalLabelsMixin:
    """Marks optional fields in their label, so that the rest read as required."""

    def mark_optional_fields(self):
        for field in self.fields.values():
            if field.required:
                continue
            if not isinstance(field.widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                field.label = _("%(label)s (optional)") % {"label": field.label}


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoticeForm(OptionalLabelsMixin, forms.ModelForm):
    """A buyer's notice: written as a draft, edited until it is published."""

    buyer = forms.ChoiceField(
        label=_("Posted for"),
        help_text=_("Your department, or the company you buy for."),
    )
    municipality = MunicipalityField(
        label=_("Municipality where the need is"),
        widget=MunicipalityAutocomplete(attrs={"data-empty-label": _("— choose —")}),
        help_text=_(
            "Only for a company's notice; left empty, the company's own municipality. A "
            "department's notice is in its municipality. PES serving this municipality are "
            "matched."
        ),
    )
    cpv_codes = CpvMultipleField(
        label=_("Categories (CPV)"),
        required=True,
        error_messages={"required": _("Choose at least one category or type a CPV code.")},
        help_text=_(
            "Type a few letters of a category's name or the beginning of its code and choose "
            "one, then the next. Any codes of the Common Procurement Vocabulary, separated by "
            "semicolons or commas, e.g. 55520000-1, 90910000-9."
        ),
    )
    attachments = MultipleDocumentField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "PDF, ODT or DOCX, at most %(count)d files of up to 10 MB each. After an error, "
            "choose the files again."
        )
        % {"count": MAX_ATTACHMENTS},
    )
    remove_attachments = ModelMultipleChoiceField(
        label=_("Remove attachments"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        formfield_callback = formfield_for
        model = DemandNotice
        fields = list(NOTICE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "answers_deadline": _datetime_widget(),
            "delivery_from": _date_widget(),
            "delivery_to": _date_widget(),
            "quantity": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "estimated_value": forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
            ),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }
        help_texts = {
            "answers_deadline": _(
                "Date and time (Polish time). After it nobody can answer or change an answer."
            ),
            "estimated_value": _(
                "Net, in PLN. The Public Procurement Law applies from 130 000 PLN net."
            ),
            "estimated_value_public": _("If not ticked, only you and your colleagues see it."),
            "unit": _("e.g. meals, hours, m²"),
        }

    sections = (
        (_("Who needs it"), ("buyer", "municipality")),
        (_("What is needed"), ("title", "description", "cpv_codes")),
        (_("How much"), ("quantity", "unit", "estimated_value", "estimated_value_public")),
        (
            _("When and where"),
            ("answers_deadline", "delivery_from", "delivery_to", "delivery_place"),
        ),
        (_("Contact person"), ("contact_name", "contact_email", "contact_phone")),
        (_("Documents"), ("attachments", "remove_attachments")),
    )

    def __init__(self, *args, departments=(), companies=(), user=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.departments = {str(d.pk): d for d in departments}
        self.companies = {str(c.pk): c for c in companies}
        editing = self.instance.pk is not None
        if editing:
            # The buyer of a notice does not change; a company's notice may move municipality.
            del self.fields["buyer"]
            if self.instance.department_id:
                del self.fields["municipality"]
            self.fields["remove_attachments"].queryset = self.instance.attachments.all()
            if not self.instance.attachments.exists():
                del self.fields["remove_attachments"]
            self.initial.setdefault("cpv_codes", list(self.instance.cpv_codes.all()))
        else:
            del self.fields["remove_attachments"]
            self.fields["buyer"].choices = [
                (f"department:{pk}", f"{d.name} — {d.municipality}")
                for pk, d in self.departments.items()
            ] + [(f"company:{pk}", c.name) for pk, c in self.companies.items()]
            if len(self.fields["buyer"].choices) == 1:
                self.initial.setdefault("buyer", self.fields["buyer"].choices[0][0])
            if not self.companies:
                del self.fields["municipality"]
            if user is not None and not self.is_bound:
                self.initial.setdefault("contact_name", user.get_full_name())
                self.initial.setdefault("contact_email", user.email)
        self.mark_optional_fields()

    def fieldsets(self):
        for legend, names in self.sections:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield legend, fields

    def _post_clean(self):
        # The buyer and municipality are set by the service, which validates the whole notice
        # and reports its errors on these fields.
        pass

    def clean_answers_deadline(self):
        deadline = self.cleaned_data.get("answers_deadline")
        if deadline is not None and deadline <= timezone.now():
            raise ValidationError(_("The deadline for answers must be in the future."))
        return deadline

    def clean(self):
        cleaned_data = super().clean()
        if "municipality" in self.fields and not cleaned_data.get("municipality"):
            company = self._chosen_company(cleaned_data)
            if company is not None:
                cleaned_data["municipality"] = company.municipality
        existing = self.instance.attachments.count() if self.instance.pk else 0
        removed = len(cleaned_data.get("remove_attachments") or [])
        added = len(cleaned_data.get("attachments") or [])
        if existing - removed + added > MAX_ATTACHMENTS:
            self.add_error(
                "attachments",
                _("A notice may have at most %(count)d attachments.") % {"count": MAX_ATTACHMENTS},
            )
        return cleaned_data

    def _chosen_company(self, cleaned_data):
        if self.instance.pk is not None:
            return self.instance.company
        kind, _separator, pk = (cleaned_data.get("buyer") or "").partition(":")
        return self.companies.get(pk) if kind == "company" else None

    def service_kwargs(self) -> dict:
        data = {name: self.cleaned_data.get(name) for name in NOTICE_FIELDS}
        for name in ("unit", "delivery_place", "contact_phone"):
            data[name] = data[name] or ""
        data["cpv_codes"] = self.cleaned_data["cpv_codes"]
        data["attachments"] = self.cleaned_data.get("attachments") or []
        if "municipality" in self.fields:
            data["municipality"] = self.cleaned_data.get("municipality")
        if "buyer" in self.fields:
            kind, pk = self.cleaned_data["buyer"].split(":")
            if kind == "department":
                data["department"] = self.departments[pk]
                data.pop("municipality", None)
            else:
                data["company"] = self.companies[pk]
        else:
            data["remove_attachments"] = self.cleaned_data.get("remove_attachments") or []
        return data


class NoticeCorrectionForm(NoticeForm):
    """A correction of a published notice: what the buyer sets, less who buys, where and
    the documents, plus why."""

    reason = forms.CharField(
        label=_("What is corrected and why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the notice with the changes and e-mailed to the PES that answered or "
            "were matched."
        ),
    )

    sections = (
        (_("What is needed"), ("title", "description", "cpv_codes")),
        (_("How much"), ("quantity", "unit", "estimated_value", "estimated_value_public")),
        (
            _("When and where"),
            ("answers_deadline", "delivery_from", "delivery_to", "delivery_place"),
        ),
        (_("Contact person"), ("contact_name", "contact_email", "contact_phone")),
        (_("The correction"), ("reason",)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("municipality", "attachments", "remove_attachments"):
            self.fields.pop(name, None)
        self.fields["answers_deadline"].help_text = _(
            "A change of the subject, the CPV codes or the quantity, or a shorter deadline, "
            "needs a deadline at least 3 days from now."
        )

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        for name in ("attachments", "remove_attachments", "municipality"):
            data.pop(name, None)
        data["reason"] = self.cleaned_data["reason"]
        return data


class ClauseCheckForm(forms.ModelForm):
    """The guided social-clause check (klauzule społeczne) of a draft notice."""

    class Meta:
        formfield_callback = formfield_for
        model = SocialClauseCheck
        fields = [
            "estimated_value",
            "is_social_service",
            "reserved_for_pes",
            "employment_requirement",
            "no_clause_reason",
        ]
        widgets = {
            "estimated_value": forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
            ),
            "no_clause_reason": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "estimated_value": _("Estimated value of the purchase, net (PLN)"),
            "is_social_service": _(
                "It is a social, health or cultural service (annex XIV of Directive "
                "2014/24/EU) that may be reserved (art. 361)"
            ),
            "reserved_for_pes": _("Reserve the contract for social economy entities (art. 94)"),
            "employment_requirement": _(
                "Require the contractor to employ excluded persons (art. 96)"
            ),
            "no_clause_reason": _("If you choose no clause: why does none apply?"),
        }
        help_texts = {
            "estimated_value": _(
                "Below %(threshold)s PLN net the Public Procurement Law does not apply: you "
                "follow your own internal purchasing rules and a market-research note "
                "(rozeznanie rynku) documents the choice. From "
                "%(threshold)s PLN net the Public Procurement Law (PZP) applies with its "
                "procedures."
            )
            % {"threshold": "130 000"},
            "is_social_service": _(
                "Annex XIV of Directive 2014/24/EU lists social, health, educational and "
                "cultural services (e.g. care, catering for schools, vocational training), and "
                "art. 361 of the Public Procurement Law their CPV codes. For them the contract "
                "may be reserved for entities whose mission is public service and social "
                "reintegration."
            ),
            "reserved_for_pes": _(
                # xgettext:no-python-format
                "Art. 94 PZP: only entities whose purpose is the social and professional "
                "integration of excluded persons may then answer, alone or in a consortium: "
                "social cooperatives, social integration centres and clubs (CIS, KIS), "
                "occupational activity establishments (ZAZ) and occupational therapy "
                "workshops (WTZ), or organisations in which at least 30% of the staff come "
                "from those groups, as declared in their verified profile. The portal refuses "
                "other answers and tells only qualifying PES about the notice."
            ),
            "employment_requirement": _(
                "The contractor must employ, for the work, persons such as the unemployed, "
                "people with disabilities or others at risk of exclusion."
            ),
            "no_clause_reason": _(
                'Required when you choose none of the clauses above, e.g. "the service needs '
                'licensed specialists and no PES offers it".'
            ),
        }

    sections = (
        (_("Value of the purchase"), ("estimated_value",)),
        (
            _("Social clauses"),
            ("is_social_service", "reserved_for_pes", "employment_requirement"),
        ),
        (_("No clause"), ("no_clause_reason",)),
    )

    def fieldsets(self):
        for legend, names in self.sections:
            yield legend, [self[name] for name in names]

    def typed_estimated_value(self):
        """The value as the field accepted it (or as stored), for the page to say whether the
        Public Procurement Law applies even while another field still needs an answer; None
        when it is missing or not a valid amount."""
        if not self.is_bound:
            return self["estimated_value"].value()
        self.is_valid()  # cleaned_data keeps every valid field, even when the form is not
        return self.cleaned_data.get("estimated_value")

    def clean(self):
        cleaned_data = super().clean()
        has_clause = any(
            cleaned_data.get(name)
            for name in ("is_social_service", "reserved_for_pes", "employment_requirement")
        )
        if not has_clause and not (cleaned_data.get("no_clause_reason") or "").strip():
            self.add_error(
                "no_clause_reason",
                _("No social clause is chosen: explain why none applies to this purchase."),
            )
        return cleaned_data

    def _post_clean(self):
        # The service computes procurement_law_applies and validates the whole record.
        pass


class ExtendDeadlineForm(forms.Form):
    answers_deadline = forms.DateTimeField(
        label=_("New deadline for answers"),
        widget=_datetime_widget(),
        help_text=_("Date and time (Polish time); later than the current deadline."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the notice cancelled?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Everyone who answered receives this text by e-mail; it is public."),
    )


class AwardForm(forms.Form):
    answers = ModelMultipleChoiceField(
        label=_("Answers chosen"),
        queryset=Answer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One or more; every answering PES is told the outcome."),
    )
    awarded_value = DecimalField(
        label=_("Awarded value net (PLN)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
    )
    award_date = forms.DateField(label=_("Date of award"), widget=_date_widget())

    def __init__(self, *args, notice=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["answers"].queryset = (
            notice.answers.select_related("organisation").prefetch_related("partners__organisation")
            if notice is not None
            else Answer.objects.none()
        )
        self.fields["answers"].label_from_instance = self._answer_label
        self.initial.setdefault("award_date", timezone.localdate())

    @staticmethod
    def _answer_label(answer):
        if answer.kind == Answer.Kind.OFFER:
            return _("%(organisation)s — priced offer of %(price)s net") % {
                "organisation": answer.organisation.name,
                "price": pln(answer.price_net),
            }
        return _("%(organisation)s — expression of interest") % {
            "organisation": answer.organisation.name
        }


class AnswerForm(OptionalLabelsMixin, forms.ModelForm):
    """A PES's answer: an expression of interest or a priced offer, alone or in a consortium."""

    organisation = forms.ModelChoiceField(
        label=_("Answer on behalf of"), queryset=None, empty_label=None
    )
    partners = OrganisationNumbersField(
        label=_("Consortium partners (NIP or KRS)"),
        queryset=None,
        required=False,
        help_text=_(
            "Other verified PES that deliver with you: the NIP or KRS number of each, one per "
            "line. Each must confirm before the deadline; the buyer sees who has not."
        ),
    )
    remove_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)

    class Meta:
        formfield_callback = formfield_for
        model = Answer
        fields = ["kind", "price_net", "terms", "message", "attachment", "employment_confirmed"]
        labels = {
            "employment_confirmed": _(
                "We confirm that we will meet the notice's requirement to employ excluded "
                "persons (art. 96 PZP)"
            ),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "price_net": forms.NumberInput(
                attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
            ),
            "terms": forms.Textarea(attrs={"rows": 4}),
            "message": forms.Textarea(attrs={"rows": 5}),
            "attachment": forms.FileInput(attrs={"accept": DOCUMENT_ACCEPT}),
        }
        help_texts = {
            "price_net": _("Required for a priced offer: the total net price in PLN."),
            "terms": _("e.g. delivery time, payment terms, what the price includes"),
            "attachment": _("PDF, ODT or DOCX, up to 10 MB. After an error, choose it again."),
            "employment_confirmed": _(
                "The requirement is a condition of the contract: the buyer sees your "
                "confirmation when it awards the notice."
            ),
        }

    def __init__(self, *args, organisations=None, partner_candidates=None, notice=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        notice = notice or (self.instance.notice if self.instance.pk else None)
        if notice is None or not notice.requires_employment:
            del self.fields["employment_confirmed"]
        self.fields["kind"].choices = Answer.Kind.choices
        self.initial.setdefault("kind", Answer.Kind.INTEREST)
        self.fields["partners"].queryset = partner_candidates
        if self.instance.pk:
            del self.fields["organisation"]
            self.fields["partners"].queryset = partner_candidates.exclude(
                pk=self.instance.organisation_id
            )
            self.initial.setdefault(
                "partners", list(self.instance.partners.values_list("organisation_id", flat=True))
            )
            if not self.instance.attachment:
                del self.fields["remove_attachment"]
        else:
            self.fields["organisation"].queryset = organisations
            del self.fields["remove_attachment"]
            if len(organisations) == 1:
                # Answering for the only organisation possible: it is nobody's partner here.
                self.fields["partners"].queryset = partner_candidates.exclude(
                    pk=organisations[0].pk
                )
        self.mark_optional_fields()

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("kind") == Answer.Kind.OFFER and cleaned_data.get("price_net") is None:
            self.add_error("price_net", _("A priced offer needs its price net in PLN."))
        if "employment_confirmed" in self.fields and not cleaned_data.get("employment_confirmed"):
            self.add_error(
                "employment_confirmed",
                _(
                    "This notice requires the contractor to employ excluded persons "
                    "(art. 96 PZP): confirm that you will meet this condition."
                ),
            )
        lead = cleaned_data.get("organisation") or (
            self.instance.organisation if self.instance.pk else None
        )
        partners = cleaned_data.get("partners") or []
        if lead is not None and any(partner.pk == lead.pk for partner in partners):
            self.add_error("partners", _("Your own organisation cannot be its own partner."))
        return cleaned_data

    def _post_clean(self):
        # The service validates the answer under the notice's lock, deadline included.
        pass

    def _chosen_company(self, cleaned_data):
        if self.instance.pk is not None:
            return self.instance.company
        kind, _separator, pk = (cleaned_data.get("buyer") or "").partition(":")
        return self.companies.get(pk) if kind == "company" else None

    def service_kwargs(self) -> dict:
        data = {
            "kind": self.cleaned_data["kind"],
            "price_net": self.cleaned_data.get("price_net"),
            "terms": self.cleaned_data.get("terms") or "",
            "message": self.cleaned_data.get("message") or "",
            "attachment": self.cleaned_data.get("attachment") or None,
            "partners": list(self.cleaned_data.get("partners") or []),
            "employment_confirmed": self.cleaned_data.get("employment_confirmed", False),
        }
        if "organisation" in self.fields:
            data["organisation"] = self.cleaned_data["organisation"]
        if "remove_attachment" in self.fields:
            data["remove_attachment"] = self.cleaned_data.get("remove_attachment", False)
        return data


class QuestionForm(forms.Form):
    """A PES's question about a notice."""

    organisation = forms.ModelChoiceField(
        label=_("Ask on behalf of"), queryset=None, empty_label=None
    )
    question = forms.CharField(
        label=_("Your question"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "The buyer's answer is published on the notice for everyone; other PES do not see "
            "who asked."
        ),
    )

    def __init__(self, *args, organisations=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class QuestionAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Published on the notice under the question and e-mailed to the PES that answered, "
            "were matched or asked."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
