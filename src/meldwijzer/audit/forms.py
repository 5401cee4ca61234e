from django import forms


class AccessLogFilterForm(forms.Form):
    subject_type = forms.CharField(label="Soort gegeven", required=False, max_length=40)
    subject_id = forms.CharField(label="Kenmerk", required=False, max_length=64)
    username = forms.CharField(label="Gebruikersnaam", required=False, max_length=150)
