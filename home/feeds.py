"""RSS feed of the news section."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

FEED_ITEMS = 20


class NewsFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, news_index):
        super().__init__()
        self.news_index = news_index

    def title(self):
        return self.news_index.title

    def link(self):
        return self.news_index.url

    def description(self):
        return self.news_index.intro or self.news_index.title

    def items(self):
        return self.news_index.news()[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.combine(item.date, time(9, 0)))
