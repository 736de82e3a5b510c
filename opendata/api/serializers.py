"""What the API gives of each object: explicit fields, never a contact person, a member, an
answer's price or text, or a notice's estimated value its buyer keeps private."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class _Absolute(serializers.Field):
    """The object's page on the portal, as an absolute URL."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        from pestor.notifications import absolute_url

        return absolute_url(value.get_absolute_url())


_Absolute = extend_schema_field(OpenApiTypes.URI)(_Absolute)


class MunicipalitySerializer(serializers.Serializer):
    name = serializers.CharField()
    teryt = serializers.CharField()


class OrganisationRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    short_name = serializers.CharField()
    slug = serializers.CharField()
    legal_form = serializers.CharField()
    krs = serializers.CharField()
    nip = serializers.CharField()
    regon = serializers.CharField()
    is_public_benefit = serializers.BooleanField()
    is_social_enterprise = serializers.BooleanField()
    street = serializers.CharField()
    postal_code = serializers.CharField()
    city = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    seat_municipality = MunicipalitySerializer(allow_null=True)
    website = serializers.URLField()
    url = _Absolute()


class OfferSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    kind = serializers.CharField()
    description = serializers.CharField()
    cpv = serializers.CharField(source="cpv.code", allow_null=True)
    price_type = serializers.CharField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    unit = serializers.CharField()
    lead_time_days = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    organisation = OrganisationRefSerializer()
    url = _Absolute()


class _Buyer(serializers.Field):
    """Who buys: the municipality and its department, or a company."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, notice):
        if notice.department_id:
            return {
                "kind": "municipality",
                "name": notice.municipality.name,
                "teryt": notice.municipality.teryt,
                "department": notice.department.name,
            }
        return {"kind": "company", "name": notice.company.name if notice.company_id else ""}


_Buyer = extend_schema_field(
    {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["municipality", "company"]},
            "name": {"type": "string"},
            "teryt": {"type": "string"},
            "department": {"type": "string"},
        },
        "required": ["kind", "name"],
    }
)(_Buyer)


class _PublicEstimate(serializers.Field):
    """The estimated value only where its buyer made it public."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, notice):
        if notice.estimated_value_public and notice.estimated_value is not None:
            return str(notice.estimated_value)
        return None


_PublicEstimate = extend_schema_field({"type": "string", "format": "decimal", "nullable": True})(
    _PublicEstimate
)


class _CpvCodes(serializers.Field):
    """A notice's CPV codes (its ``cpv_codes``, prefetched by the list's selector)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, codes):
        return [code.code for code in codes.all()]


_CpvCodes = extend_schema_field({"type": "array", "items": {"type": "string"}})(_CpvCodes)


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    status = serializers.CharField(source="effective_status")
    buyer = _Buyer()
    cpv_codes = _CpvCodes()
    is_reserved = serializers.BooleanField()
    estimated_value = _PublicEstimate()
    published_at = serializers.DateTimeField()
    answers_deadline = serializers.DateTimeField()
    url = _Absolute()


class PartnerSerializer(serializers.Serializer):
    """An organisation of an answer or of its consortium."""

    name = serializers.CharField(source="organisation.name")
    slug = serializers.CharField(source="organisation.slug")


class SupplierSerializer(PartnerSerializer):
    partners = PartnerSerializer(source="confirmed_partners", many=True)


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    buyer = _Buyer()
    cpv_codes = _CpvCodes()
    is_reserved = serializers.BooleanField()
    award_date = serializers.DateField()
    awarded_value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    suppliers = SupplierSerializer(source="awarded_answers", many=True)
    url = _Absolute()


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()
    audience = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    registration_deadline = serializers.DateTimeField()
    venue = serializers.CharField()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    online_url = serializers.URLField()
    capacity = serializers.IntegerField(allow_null=True)
    seats_taken = serializers.IntegerField()
    municipality = serializers.CharField(source="municipality.name")
    url = _Absolute()


class PremisesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    address = serializers.CharField()
    district = serializers.CharField()
    municipality = MunicipalitySerializer()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, allow_null=True)
    floor = serializers.CharField()
    area_m2 = serializers.DecimalField(max_digits=8, decimal_places=2)
    rooms = serializers.IntegerField()
    status = serializers.CharField()
    step_free_entrance = serializers.BooleanField()
    accessible_toilet = serializers.BooleanField()
    market_rent_m2 = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    url = _Absolute()
