"""OnePassSelect draws the same choices as Django's Select, escaped, with the value selected."""

from django import forms

from forum.widgets import OnePassSelect


class CountryForm(forms.Form):
    country = forms.ChoiceField(
        choices=[("", "---------"), ("JP", "Japan"), ("KR", "Korea <South>"), ('X"Y', "A & B")],
        widget=OnePassSelect,
        required=False,
    )


def test_the_select_has_every_option_escaped_and_the_value_selected():
    html = str(CountryForm(initial={"country": "KR"})["country"])
    assert html.startswith('<select name="country" id="id_country">')
    assert '<option value="">---------</option>' in html
    assert '<option value="JP">Japan</option>' in html
    assert '<option value="KR" selected>Korea &lt;South&gt;</option>' in html
    assert '<option value="X&quot;Y">A &amp; B</option>' in html
    assert html.count(" selected") == 1
    assert html.endswith("</select>")


def test_a_bound_form_selects_what_was_sent_and_keeps_the_options_apart():
    first = str(CountryForm(data={"country": "JP"})["country"])
    second = str(CountryForm(data={"country": ""})["country"])
    assert '<option value="JP" selected>Japan</option>' in first
    assert '<option value="JP">Japan</option>' in second
    assert '<option value="" selected>---------</option>' in second


def test_a_required_select_says_so():
    class Required(forms.Form):
        country = forms.ChoiceField(choices=[("", "---"), ("JP", "Japan")], widget=OnePassSelect)

    assert '<select name="country" id="id_country" required>' in str(Required()["country"])


def test_the_registration_form_draws_both_country_lists_in_one_pass():
    from registration.public.forms import DetailsForm

    form = DetailsForm(initial={"country": "JP", "nationality": "KR"})
    assert isinstance(form.fields["country"].widget, OnePassSelect)
    assert '<option value="JP" selected>Japan</option>' in str(form["country"])
    assert '<option value="KR" selected>' in str(form["nationality"])
